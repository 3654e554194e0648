import Foundation
import Purser

/// Models do not know what day it is; deadlines, "within 30 days" policies and greetings need
/// the real date in the customer's zone. The clock is injected so runs and tests can be replayed.
public struct CurrentTimeTool: Tool {
    static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    public let name = "current_time"
    /// Reads the clock and the local time-zone database: it cannot hang, so no timer is raced.
    public var finishesPromptly: Bool { true }
    public let description = """
        Returns the current date and time in a time zone (an IANA name such as Europe/Paris; default UTC), \
        as ISO 8601 text, Unix seconds and the weekday.
        """

    private let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date = { Date() }) {
        self.now = now
    }

    public var argumentsSchema: JSONSchema {
        var schema = JSONSchema.object(
            [
                "timezone": .string(
                    "IANA time zone name, e.g. America/New_York (default UTC)", maxLength: 64,
                    examples: ["UTC", "Europe/Paris", "America/New_York", "Asia/Tokyo"])
            ],
            required: [])
        schema.examples = [[:], ["timezone": "Europe/Paris"]]
        return schema
    }

    public func invoke(_ arguments: JSONValue) async throws -> JSONValue {
        let requested: String
        switch arguments["timezone"] {
        case nil, .null?:
            requested = "UTC"
        case .string(let text)?:
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            requested = trimmed.isEmpty ? "UTC" : trimmed
        case let other?:
            throw ToolError(tool: name, message: "'timezone' must be a string, got \(other.typeName)")
        }
        guard let (timeZone, zoneName) = Self.timeZone(named: requested) else {
            throw ToolError(
                tool: name,
                message:
                    "unknown time zone '\(requested)'; use an IANA name such as UTC, Europe/Paris or America/New_York"
            )
        }

        let date = now()
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = timeZone
        formatter.formatOptions = [.withInternetDateTime]
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let weekday = calendar.component(.weekday, from: date)

        return [
            "iso8601": .string(formatter.string(from: date)),
            "unixSeconds": .number(date.timeIntervalSince1970),
            "timezone": .string(zoneName),
            "weekday": .string(Self.weekdays[weekday - 1]),
        ]
    }

    /// The zone and the name to report for it. UTC is handled first because some platforms
    /// report it as "GMT", which would not echo what was asked. Then exact names, then a
    /// case-insensitive match, because models often write `europe/paris` or `utc`.
    static func timeZone(named name: String) -> (TimeZone, String)? {
        if ["utc", "z", "etc/utc"].contains(name.lowercased()), let utc = TimeZone(secondsFromGMT: 0) {
            return (utc, "UTC")
        }
        if let zone = TimeZone(identifier: name) { return (zone, name) }
        let lowered = name.lowercased()
        guard let match = TimeZone.knownTimeZoneIdentifiers.first(where: { $0.lowercased() == lowered }),
            let zone = TimeZone(identifier: match)
        else { return nil }
        return (zone, match)
    }
}
