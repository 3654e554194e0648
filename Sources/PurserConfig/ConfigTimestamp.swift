import Foundation

/// Moments as `purser.yaml` writes them: RFC 3339 in UTC to the second, `2026-11-29T11:00:00Z`.
///
/// Read from the scalar's text (as every value is), so YAML's own timestamp resolution never
/// applies. An offset (`+01:00`) and a fraction are accepted on reading; an impossible
/// date (`02-30`) is refused rather than rolled over into March.
enum ConfigTimestamp {
    static let example = "2026-11-29T11:00:00Z"

    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle().format(date)
    }

    static func parse(_ text: String) -> Date? {
        let utf8 = Array(text.utf8)
        // yyyy-MM-ddTHH:mm:ss then a fraction and/or a zone.
        guard utf8.count >= 20, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            utf8[10] == UInt8(ascii: "T"), utf8[13] == UInt8(ascii: ":"), utf8[16] == UInt8(ascii: ":")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            let digits = utf8[range]
            guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
            return Int(String(decoding: digits, as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let components = DateComponents(
            calendar: calendar, year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard components.isValidDate else { return nil }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: text.utf8.contains(UInt8(ascii: ".")))
            .parse(text)
    }
}

extension YAMLReader {
    /// A moment written as `2026-11-29T11:00:00Z` (``ConfigTimestamp``).
    mutating func timestamp(_ node: YAMLNode, at path: ConfigKeyPath) -> Date? {
        if case .scalar(let scalar) = node, let date = ConfigTimestamp.parse(scalar.string) { return date }
        report(
            "expected a UTC date and time such as \(ConfigTimestamp.example), got \(Self.describe(node))", at: path,
            node: node)
        return nil
    }
}
