/// The subset of JSON Schema Purser speaks: enough to describe tool arguments and
/// structured model output, validate them, and let the simulator produce valid examples.
///
/// It is a value rather than raw JSON so schemas written in Swift are checked by the
/// compiler, and so providers can be sent the same document (``jsonValue``).
public struct JSONSchema: Sendable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        case object, array, string, number, integer, boolean, null
    }

    public var type: Kind?
    public var description: String?
    public var properties: [String: JSONSchema]
    public var required: [String]
    public var additionalProperties: Bool
    /// Zero or one element: arrays give the recursion the indirection a struct needs.
    private var itemsStorage: [JSONSchema]
    public var enumValues: [JSONValue]?
    public var minimum: Double?
    public var maximum: Double?
    public var minLength: Int?
    public var maxLength: Int?
    public var minItems: Int?
    public var maxItems: Int?
    /// Example values; the simulator uses the first one when it has to invent a value.
    public var examples: [JSONValue]

    public var items: JSONSchema? {
        get { itemsStorage.first }
        set { itemsStorage = newValue.map { [$0] } ?? [] }
    }

    public init(
        type: Kind? = nil,
        description: String? = nil,
        properties: [String: JSONSchema] = [:],
        required: [String] = [],
        additionalProperties: Bool = true,
        items: JSONSchema? = nil,
        enumValues: [JSONValue]? = nil,
        minimum: Double? = nil,
        maximum: Double? = nil,
        minLength: Int? = nil,
        maxLength: Int? = nil,
        minItems: Int? = nil,
        maxItems: Int? = nil,
        examples: [JSONValue] = []
    ) {
        self.type = type
        self.description = description
        self.properties = properties
        self.required = required
        self.additionalProperties = additionalProperties
        self.itemsStorage = items.map { [$0] } ?? []
        self.enumValues = enumValues
        self.minimum = minimum
        self.maximum = maximum
        self.minLength = minLength
        self.maxLength = maxLength
        self.minItems = minItems
        self.maxItems = maxItems
        self.examples = examples
    }
}

// MARK: - Building schemas in Swift

extension JSONSchema {
    /// An object; unless told otherwise every listed property is required and no others are allowed.
    public static func object(
        _ properties: [String: JSONSchema],
        required: [String]? = nil,
        additionalProperties: Bool = false,
        description: String? = nil
    ) -> JSONSchema {
        JSONSchema(
            type: .object, description: description, properties: properties,
            required: required ?? properties.keys.sorted(), additionalProperties: additionalProperties)
    }

    public static func array(
        of items: JSONSchema, minItems: Int? = nil, maxItems: Int? = nil, description: String? = nil
    ) -> JSONSchema {
        JSONSchema(type: .array, description: description, items: items, minItems: minItems, maxItems: maxItems)
    }

    public static func string(
        _ description: String? = nil, oneOf values: [String]? = nil, maxLength: Int? = nil,
        examples: [String] = []
    ) -> JSONSchema {
        JSONSchema(
            type: .string, description: description, enumValues: values?.map(JSONValue.string),
            maxLength: maxLength, examples: examples.map(JSONValue.string))
    }

    public static func number(
        _ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil
    ) -> JSONSchema {
        JSONSchema(type: .number, description: description, minimum: minimum, maximum: maximum)
    }

    public static func integer(
        _ description: String? = nil, minimum: Double? = nil, maximum: Double? = nil
    ) -> JSONSchema {
        JSONSchema(type: .integer, description: description, minimum: minimum, maximum: maximum)
    }

    public static func boolean(_ description: String? = nil) -> JSONSchema {
        JSONSchema(type: .boolean, description: description)
    }
}

// MARK: - As a JSON document

extension JSONSchema {
    /// The schema as a JSON Schema document, for providers and for `purser workflows --json`.
    public var jsonValue: JSONValue {
        var out: [String: JSONValue] = [:]
        if let type { out["type"] = .string(type.rawValue) }
        if let description { out["description"] = .string(description) }
        if !properties.isEmpty { out["properties"] = .object(properties.mapValues(\.jsonValue)) }
        if !required.isEmpty { out["required"] = .array(required.map(JSONValue.string)) }
        if type == .object, !additionalProperties { out["additionalProperties"] = .bool(false) }
        if let items { out["items"] = items.jsonValue }
        if let enumValues { out["enum"] = .array(enumValues) }
        if let minimum { out["minimum"] = .number(minimum) }
        if let maximum { out["maximum"] = .number(maximum) }
        if let minLength { out["minLength"] = .number(Double(minLength)) }
        if let maxLength { out["maxLength"] = .number(Double(maxLength)) }
        if let minItems { out["minItems"] = .number(Double(minItems)) }
        if let maxItems { out["maxItems"] = .number(Double(maxItems)) }
        if !examples.isEmpty { out["examples"] = .array(examples) }
        return .object(out)
    }

    /// Reads the subset back from a JSON Schema document; unknown keywords are ignored.
    public init(jsonValue: JSONValue) throws(SchemaError) {
        guard case .object(let doc) = jsonValue else { throw SchemaError("a schema must be a JSON object") }
        var schema = JSONSchema()
        if let type = doc["type"] {
            guard let name = type.stringValue, let kind = Kind(rawValue: name) else {
                throw SchemaError("unsupported schema type \(type.compactJSON)")
            }
            schema.type = kind
        }
        schema.description = doc["description"]?.stringValue
        if let properties = doc["properties"]?.objectValue {
            for (name, value) in properties {
                schema.properties[name] = try JSONSchema(jsonValue: value)
            }
        }
        schema.required = doc["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        schema.additionalProperties = doc["additionalProperties"]?.boolValue ?? true
        if let items = doc["items"] { schema.items = try JSONSchema(jsonValue: items) }
        schema.enumValues = doc["enum"]?.arrayValue
        schema.minimum = doc["minimum"]?.numberValue
        schema.maximum = doc["maximum"]?.numberValue
        schema.minLength = doc["minLength"]?.numberValue.map { Int($0) }
        schema.maxLength = doc["maxLength"]?.numberValue.map { Int($0) }
        schema.minItems = doc["minItems"]?.numberValue.map { Int($0) }
        schema.maxItems = doc["maxItems"]?.numberValue.map { Int($0) }
        schema.examples = doc["examples"]?.arrayValue ?? []
        self = schema
    }
}

extension JSONSchema: Codable {
    public init(from decoder: any Decoder) throws {
        try self.init(jsonValue: JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}

/// A schema document Purser cannot use.
public struct SchemaError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
