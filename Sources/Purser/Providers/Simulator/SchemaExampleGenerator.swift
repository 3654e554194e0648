/// Invents a value that conforms to a schema, deterministically: the simulator's JSON
/// answers and tool arguments. Prefers a schema's own examples and enum values.
struct SchemaExampleGenerator {
    var random: SplitMix64
    let words: [Substring]

    mutating func value(for schema: JSONSchema) -> JSONValue {
        if let example = schema.examples.first, schema.violations(of: example).isEmpty {
            return schema.examples[Int(random.next() % UInt64(schema.examples.count))]
        }
        if let values = schema.enumValues, !values.isEmpty {
            return values[Int(random.next() % UInt64(values.count))]
        }
        switch schema.type {
        case .object?:
            var members: [String: JSONValue] = [:]
            for name in schema.properties.keys.sorted() {
                members[name] = value(for: schema.properties[name]!)
            }
            return .object(members)
        case .array?:
            let low = schema.minItems ?? 1
            let high = max(schema.maxItems ?? 3, low)
            let count = low + Int(random.next() % UInt64(high - low + 1))
            let items = schema.items ?? JSONSchema(type: .string)
            return .array((0..<count).map { _ in value(for: items) })
        case .string?:
            return .string(phrase(maxLength: schema.maxLength, minLength: schema.minLength))
        case .integer?:
            return .number(Double(number(schema, integer: true)))
        case .number?:
            return .number(number(schema, integer: false))
        case .boolean?:
            return .bool(random.next() % 2 == 0)
        case .null?:
            return .null
        case nil:
            return .string(phrase(maxLength: nil, minLength: nil))
        }
    }

    private mutating func number(_ schema: JSONSchema, integer: Bool) -> Double {
        let low = schema.minimum ?? 0
        let high = max(schema.maximum ?? low + 100, low)
        let value = low + (high - low) * random.unit()
        return integer ? min(max(value.rounded(.down), low.rounded(.up)), high) : (value * 100).rounded() / 100
    }

    private mutating func phrase(maxLength: Int?, minLength: Int?) -> String {
        let source: [Substring] = words.isEmpty ? ["simulated", "value", "summary", "detail", "note"] : words
        let count = 2 + Int(random.next() % 5)
        var text = (0..<count).map { _ in String(source[Int(random.next() % UInt64(source.count))]) }
            .joined(separator: " ")
        if let minLength, text.count < minLength {
            text += String(repeating: " x", count: (minLength - text.count + 1) / 2)
        }
        if let maxLength, text.count > maxLength { text = String(text.prefix(maxLength)) }
        return text
    }
}
