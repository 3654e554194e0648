/// A JSON value whose strings are templates: tool arguments and sub-workflow inputs.
///
/// `["query": "{{input.question}}", "limit": 5]` renders to an object whose `query`
/// is filled in and whose `limit` stays the number 5.
public indirect enum ValueTemplate: Sendable, Hashable {
    case literal(JSONValue)
    case template(Template)
    case array([ValueTemplate])
    case object([String: ValueTemplate])

    public init(_ value: JSONValue) {
        switch value {
        case .string(let text): self = text.contains("{{") ? .template(Template(text)) : .literal(value)
        case .array(let items): self = .array(items.map(ValueTemplate.init))
        case .object(let members): self = .object(members.mapValues(ValueTemplate.init))
        default: self = .literal(value)
        }
    }

    /// Every template inside, for validation.
    var templates: [Template] {
        switch self {
        case .literal: []
        case .template(let template): [template]
        case .array(let items): items.flatMap(\.templates)
        case .object(let members): members.keys.sorted().flatMap { members[$0]!.templates }
        }
    }

    /// The source value, strings unrendered.
    public var source: JSONValue {
        switch self {
        case .literal(let value): value
        case .template(let template): .string(template.source)
        case .array(let items): .array(items.map(\.source))
        case .object(let members): .object(members.mapValues(\.source))
        }
    }
}

extension ValueTemplate: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try JSONValue(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try source.encode(to: encoder)
    }
}
