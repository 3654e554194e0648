/// Small text encodings for columns written on every reservation, done by hand because a
/// general encoder costs more than the rest of the reservation.
enum StoredText {
    /// A reservation's holds, budget name and period key pairs, as length-prefixed strings
    /// (`12:global/month7:2026-11`): any characters survive, and reading back is a scan.
    static func holds(_ pairs: [(budget: String, periodKey: String)]) -> String {
        var text = ""
        for (budget, periodKey) in pairs {
            for part in [budget, periodKey] { text += "\(part.utf8.count):\(part)" }
        }
        return text
    }

    /// The pairs written by ``holds(_:)``; `nil` when the text is not in that form.
    static func holds(parsing text: String) -> [(budget: String, periodKey: String)]? {
        var parts: [String] = []
        var rest = Substring(text).utf8[...]
        while !rest.isEmpty {
            guard let colon = rest.firstIndex(of: UInt8(ascii: ":")),
                let count = Int(String(decoding: rest[..<colon], as: UTF8.self)),
                count >= 0
            else { return nil }
            let start = rest.index(after: colon)
            guard let end = rest.index(start, offsetBy: count, limitedBy: rest.endIndex) else { return nil }
            parts.append(String(decoding: rest[start..<end], as: UTF8.self))
            rest = rest[end...]
        }
        guard parts.count.isMultiple(of: 2) else { return nil }
        return stride(from: 0, to: parts.count, by: 2).map { (parts[$0], parts[$0 + 1]) }
    }

    /// Tags as a JSON object with sorted keys (`{"env":"prod","team":"support"}`), which
    /// SQLite's `json_each` reads in spend reports.
    static func tags(_ tags: [String: String]) -> String {
        guard !tags.isEmpty else { return "{}" }
        var text = "{"
        for (index, key) in tags.keys.sorted().enumerated() {
            if index > 0 { text += "," }
            text += quoted(key) + ":" + quoted(tags[key] ?? "")
        }
        return text + "}"
    }

    private static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
