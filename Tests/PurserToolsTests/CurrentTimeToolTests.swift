import Foundation
import Purser
import Synchronization
import Testing

@testable import PurserTools

@Suite("current_time")
struct CurrentTimeToolTests {
    /// 2023-11-14T22:13:20Z, a Tuesday in UTC and already Wednesday in Tokyo.
    static let instant = Date(timeIntervalSince1970: 1_700_000_000)
    let tool = CurrentTimeTool(now: { CurrentTimeToolTests.instant })

    @Test("defaults to UTC")
    func defaultZone() async throws {
        let result = try await tool.validatedInvoke([:])
        #expect(
            result == [
                "iso8601": "2023-11-14T22:13:20Z", "unixSeconds": 1_700_000_000, "timezone": "UTC",
                "weekday": "Tuesday",
            ])
    }

    @Test(
        "renders the same instant in other zones",
        arguments: [
            ("UTC", "UTC", "2023-11-14T22:13:20Z", "Tuesday"),
            ("Europe/Paris", "Europe/Paris", "2023-11-14T23:13:20+01:00", "Tuesday"),
            ("Asia/Tokyo", "Asia/Tokyo", "2023-11-15T07:13:20+09:00", "Wednesday"),
            ("America/Los_Angeles", "America/Los_Angeles", "2023-11-14T14:13:20-08:00", "Tuesday"),
            ("Asia/Kolkata", "Asia/Kolkata", "2023-11-15T03:43:20+05:30", "Wednesday"),
            ("europe/paris", "Europe/Paris", "2023-11-14T23:13:20+01:00", "Tuesday"),
            ("utc", "UTC", "2023-11-14T22:13:20Z", "Tuesday"),
            ("  ", "UTC", "2023-11-14T22:13:20Z", "Tuesday"),
        ])
    func zones(requested: String, reported: String, iso8601: String, weekday: String) async throws {
        let result = try await tool.invoke(["timezone": .string(requested)])
        #expect(result["timezone"] == .string(reported))
        #expect(result["iso8601"] == .string(iso8601))
        #expect(result["weekday"] == .string(weekday))
        #expect(result["unixSeconds"] == 1_700_000_000)
    }

    @Test("daylight saving time is applied")
    func daylightSaving() async throws {
        let summer = CurrentTimeTool(now: { Date(timeIntervalSince1970: 1_720_000_000) })  // 2024-07-03T09:46:40Z
        let result = try await summer.invoke(["timezone": "Europe/Paris"])
        #expect(result["iso8601"] == "2024-07-03T11:46:40+02:00")
        #expect(result["weekday"] == "Wednesday")
    }

    @Test("an unknown zone is refused", arguments: ["Mars/Olympus", "Europe/Pariss", "not a zone"])
    func unknownZone(zone: String) async throws {
        let error = try await #require(throws: ToolError.self) {
            try await tool.invoke(["timezone": .string(zone)])
        }
        #expect(error.tool == "current_time")
        #expect(error.message.contains("unknown time zone '\(zone)'"))
    }

    @Test("a timezone that is not a string is refused")
    func wrongType() async throws {
        let error = try await #require(throws: ToolError.self) { try await tool.invoke(["timezone": 3]) }
        #expect(error.message.contains("must be a string"))
        await #expect(throws: ToolError.self) { try await tool.validatedInvoke(["timezone": 3]) }
        await #expect(throws: ToolError.self) { try await tool.validatedInvoke(["zone": "UTC"]) }
    }

    @Test("the clock is read on every call")
    func readsClockEachCall() async throws {
        let ticks = Ticker()
        let ticking = CurrentTimeTool(now: { ticks.next() })
        let first = try await ticking.invoke([:])
        let second = try await ticking.invoke([:])
        #expect(first["unixSeconds"] == 1)
        #expect(second["unixSeconds"] == 2)
    }
}

/// A clock that moves one second per reading.
private final class Ticker: Sendable {
    private let seconds = Mutex(0.0)

    func next() -> Date {
        Date(timeIntervalSince1970: seconds.withLock { value in
            value += 1
            return value
        })
    }
}
