/// JSON text laid out for people (sorted keys, two-space indent: the layout of
/// ``JSONValue/prettyJSON``) without going through ``JSONValue``, whose numbers are `Double`s:
/// a number is printed exactly as it was written, so a 64-bit value such as an estimate's seed
/// keeps every digit.
public enum JSONText {
    /// The encoded form of `value`, laid out.
    public static func pretty(encoding value: some Encodable) throws -> String {
        try pretty(StreamingJSONEncoder(dateStrategy: .iso8601).encodeBytes(value))
    }

    /// `bytes` (one JSON document) laid out; throws if they are not JSON.
    public static func pretty(_ bytes: [UInt8]) throws -> String {
        var reader = Reader(bytes: bytes)
        let node = try reader.value()
        reader.skipSpace()
        guard reader.position == bytes.count else { throw reader.failure("unexpected text after the document") }
        var out = ""
        node.write(to: &out, indent: 0)
        return out
    }

    /// A parsed document that keeps scalars as their text.
    private indirect enum Node {
        case literal(String)
        case string(String)
        case array([Node])
        case object([(key: String, value: Node)])

        func write(to out: inout String, indent: Int) {
            let pad = String(repeating: "  ", count: indent + 1)
            switch self {
            case .literal(let text): out += text
            case .string(let value): JSONValue.writeEscaped(value, to: &out)
            case .array(let items) where items.isEmpty: out += "[]"
            case .object(let members) where members.isEmpty: out += "{}"
            case .array(let items):
                out += "[\n"
                for (index, item) in items.enumerated() {
                    out += pad
                    item.write(to: &out, indent: indent + 1)
                    out += index == items.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: indent) + "]"
            case .object(let members):
                out += "{\n"
                let sorted = members.sorted { $0.key < $1.key }
                for (index, member) in sorted.enumerated() {
                    out += pad
                    JSONValue.writeEscaped(member.key, to: &out)
                    out += ": "
                    member.value.write(to: &out, indent: indent + 1)
                    out += index == sorted.count - 1 ? "\n" : ",\n"
                }
                out += String(repeating: "  ", count: indent) + "}"
            }
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        func failure(_ message: String) -> JSONParseError {
            JSONParseError(offset: position, reason: message)
        }

        mutating func skipSpace() {
            while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        }

        static func isSpace(_ byte: UInt8) -> Bool {
            byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }

        /// What can follow a number, `true`, `false` or `null`.
        static func endsLiteral(_ byte: UInt8) -> Bool {
            isSpace(byte) || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}")
        }

        mutating func value() throws -> Node {
            skipSpace()
            guard position < bytes.count else { throw failure("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            default:
                let start = position
                while position < bytes.count, !Self.endsLiteral(bytes[position]) { position += 1 }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                // Checked by the full parser, so only JSON literals pass through verbatim.
                guard !text.isEmpty, (try? JSONValue(parsing: text)) != nil else { throw failure("not a JSON value: \(text)") }
                return .literal(text)
            }
        }

        mutating func string() throws -> String {
            let start = position
            position += 1
            while position < bytes.count, bytes[position] != UInt8(ascii: "\"") {
                position += bytes[position] == UInt8(ascii: "\\") ? 2 : 1
            }
            guard position < bytes.count else { throw failure("unterminated string") }
            position += 1
            guard let text = try? JSONValue(parsing: String(decoding: bytes[start..<position], as: UTF8.self)).stringValue
            else { throw failure("bad string") }
            return text
        }

        mutating func array() throws -> Node {
            position += 1
            var items: [Node] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array(items)
            }
            while true {
                items.append(try value())
                skipSpace()
                guard position < bytes.count else { throw failure("unterminated array") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "]") { return .array(items) }
                guard byte == UInt8(ascii: ",") else { throw failure("expected , or ]") }
            }
        }

        mutating func object() throws -> Node {
            position += 1
            var members: [(key: String, value: Node)] = []
            skipSpace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw failure("expected a key") }
                let key = try string()
                skipSpace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw failure("expected :") }
                position += 1
                members.append((key, try value()))
                skipSpace()
                guard position < bytes.count else { throw failure("unterminated object") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "}") { return .object(members) }
                guard byte == UInt8(ascii: ",") else { throw failure("expected , or }") }
            }
        }
    }
}
