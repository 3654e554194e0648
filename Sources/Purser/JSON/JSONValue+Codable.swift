import Foundation

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let object = try? container.decode([String: JSONValue].self) {
            self = .object(object)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension JSONValue {
    /// Parses JSON text; the error names where the text went wrong.
    public init(parsing text: String) throws(JSONParseError) {
        var parser = JSONParser(text)
        self = try parser.parseDocument()
    }

    /// Compact JSON with sorted keys, so equal values always print the same text.
    public var compactJSON: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// Indented JSON with sorted keys, for people.
    public var prettyJSON: String {
        var out = ""
        writePretty(to: &out, indent: 0)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let value): out += value ? "true" : "false"
        case .number(let value): out += JSONValue.format(value)
        case .string(let value): JSONValue.writeEscaped(value, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                JSONValue.writeEscaped(key, to: &out)
                out += ":"
                members[key]!.write(to: &out)
            }
            out += "}"
        }
    }

    private func writePretty(to out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += pad
                item.writePretty(to: &out, indent: indent + 1)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case .object(let members) where !members.isEmpty:
            out += "{\n"
            let keys = members.keys.sorted()
            for (index, key) in keys.enumerated() {
                out += pad
                JSONValue.writeEscaped(key, to: &out)
                out += ": "
                members[key]!.writePretty(to: &out, indent: indent + 1)
                out += index == keys.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        default:
            write(to: &out)
        }
    }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value.rounded() == value, abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// Copies the runs between escapes whole: appending scalar by scalar made this most of a
    /// stored request's encoding (the server stores every run's request this way).
    static func writeEscaped(_ string: String, to out: inout String) {
        out += "\""
        let utf8 = string.utf8
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let byte = utf8[index]
            // Every byte that needs escaping is ASCII, so the runs between are whole scalars
            // (sliced by scalars: a quote and a combining mark after it are one character).
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
                out += Substring(string.unicodeScalars[start..<index])
                out += escape(byte)
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += Substring(string.unicodeScalars[start..<utf8.endIndex])
        out += "\""
    }

    private static func escape(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\r"): return "\\r"
        case UInt8(ascii: "\t"): return "\\t"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}

extension JSONValue {
    /// Any `Encodable` as a `JSONValue` (dates as ISO 8601): for documents assembled from
    /// typed values and plain JSON.
    public static func encoding(_ value: some Encodable) throws -> JSONValue {
        let bytes = try StreamingJSONEncoder(dateStrategy: .iso8601).encodeBytes(value)
        return try JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
    }
}
