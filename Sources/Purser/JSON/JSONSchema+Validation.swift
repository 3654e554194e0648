extension JSONSchema {
    /// Every way `value` breaks this schema, each naming where (`$.items[2].name`).
    /// Empty when the value conforms.
    public func violations(of value: JSONValue, at path: String = "$") -> [String] {
        var problems: [String] = []
        collectViolations(of: value, at: path, into: &problems)
        return problems
    }

    private func collectViolations(of value: JSONValue, at path: String, into problems: inout [String]) {
        if let enumValues, !enumValues.contains(value) {
            let allowed = enumValues.map(\.compactJSON).joined(separator: ", ")
            problems.append("\(path): \(value.compactJSON) is not one of \(allowed)")
            return
        }
        guard let type else { return }
        switch (type, value) {
        case (.null, .null), (.boolean, .bool):
            return
        case (.number, .number(let number)), (.integer, .number(let number)):
            if type == .integer, number.rounded() != number {
                problems.append("\(path): expected an integer, got \(JSONValue.format(number))")
            }
            if let minimum, number < minimum {
                problems.append("\(path): \(JSONValue.format(number)) is less than the minimum \(JSONValue.format(minimum))")
            }
            if let maximum, number > maximum {
                problems.append("\(path): \(JSONValue.format(number)) is more than the maximum \(JSONValue.format(maximum))")
            }
        case (.string, .string(let string)):
            if let minLength, string.count < minLength {
                problems.append("\(path): shorter than \(minLength) characters")
            }
            if let maxLength, string.count > maxLength {
                problems.append("\(path): longer than \(maxLength) characters")
            }
        case (.array, .array(let elements)):
            if let minItems, elements.count < minItems {
                problems.append("\(path): \(elements.count) items, fewer than \(minItems)")
            }
            if let maxItems, elements.count > maxItems {
                problems.append("\(path): \(elements.count) items, more than \(maxItems)")
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    items.collectViolations(of: element, at: "\(path)[\(index)]", into: &problems)
                }
            }
        case (.object, .object(let members)):
            for name in required where members[name] == nil {
                problems.append("\(path): missing required property '\(name)'")
            }
            for name in members.keys.sorted() {
                let member = members[name]!
                if let property = properties[name] {
                    property.collectViolations(of: member, at: "\(path).\(name)", into: &problems)
                } else if !additionalProperties {
                    problems.append("\(path): unexpected property '\(name)'")
                }
            }
        default:
            problems.append("\(path): expected \(type.rawValue), got \(value.typeName)")
        }
    }
}
