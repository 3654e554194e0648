import Foundation
import Purser
import Testing

/// The streaming encoder must write the same JSON values as Foundation's `JSONEncoder`, so
/// records it writes read back with `JSONDecoder` exactly as before.
@Suite("Streaming JSON encoder")
struct StreamingJSONEncoderTests {
    enum Shape: Codable, Equatable {
        case circle(radius: Double)
        case labelled(String, sides: Int)
        case none
    }

    struct Nothing: Encodable {
        func encode(to encoder: any Encoder) throws {}
    }

    /// Asks for its keyed container twice, as `Codable` allows.
    struct TwoRequests: Encodable {
        enum Keys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var first = encoder.container(keyedBy: Keys.self)
            try first.encode(1, forKey: .a)
            var second = encoder.container(keyedBy: Keys.self)
            try second.encode(2, forKey: .b)
        }
    }

    /// Writes a nested container, then goes back to its own.
    struct Interleaved: Encodable {
        enum Keys: String, CodingKey { case inner, after, list }
        enum InnerKeys: String, CodingKey { case x }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var inner = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try inner.encode("in", forKey: .x)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try list.encode(1)
            var deeper = list.nestedUnkeyedContainer()
            try deeper.encode(true)
            try list.encode(Optional<Int>.none)
            try container.encode("out", forKey: .after)
        }
    }

    struct Everything: Codable, Equatable {
        var text = "plain \"quoted\" back\\slash / slash\nnew line\ttab \u{01}\u{1f} é ☃ 𝄞"
        var empty = ""
        var integers: [Int] = [0, 7, 10, -1, Int.max, Int.min]
        var int8: Int8 = -128
        var uint64: UInt64 = .max
        var int32: Int32 = 123_456
        var doubles: [Double] = [0, -0.0, 0.1, 3, -2.5, 1e300, 1e-7, 123_456_789.125, .pi]
        var float: Float = 0.1
        var flags = [true, false]
        var missing: String? = nil
        var present: String? = "here"
        var nested: [[Int]] = [[], [1], [2, 3]]
        var map: [String: Int] = ["b": 2, "a": 1]
        var intKeys: [Int: String] = [3: "three"]
        var shapes: [Shape] = [.circle(radius: 1.5), .labelled("tri", sides: 3), .none]
        var date = Date(timeIntervalSince1970: 1_796_000_000.25)
        var url = URL(string: "https://example.com/a?b=c")!
        var data = Data([0, 1, 2, 250, 255])
        var decimal = Decimal(string: "12.345")!
        var money = Money(micros: 1_234_567)
    }

    static func foundation(_ value: some Encodable, iso8601: Bool = false) throws -> JSONValue {
        let encoder = JSONEncoder()
        if iso8601 { encoder.dateEncodingStrategy = .iso8601 }
        return try JSONValue(parsing: String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func streaming(_ value: some Encodable, iso8601: Bool = false) throws -> JSONValue {
        let data = try StreamingJSONEncoder(dateStrategy: iso8601 ? .iso8601 : .deferredToDate).encode(value)
        return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }

    @Test func writesWhatJSONEncoderWritesAndReadsBackEqual() throws {
        let value = Everything()
        #expect(try Self.streaming(value) == Self.foundation(value))
        let data = try StreamingJSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(Everything.self, from: data) == value)
    }

    /// Amounts go into the bytes without a `String` in between; what reads back must be each
    /// amount's description, quoted, signs and the largest amounts included. (The text's own
    /// rules are `MoneyTests`'.)
    @Test func amountsAreWrittenAsTheirDescription() throws {
        var amounts: [Money] = [
            .zero, Money(micros: 1), Money(micros: 15), Money(micros: 10), Money(micros: 100_000), Money(micros: 500_000),
            Money(micros: 1_000_000), Money(micros: 1_230_000), Money(micros: 1_234_567), Money(micros: -1),
            Money(micros: -3_500_000), Money(micros: 999_999), Money(micros: Int64.max), Money(micros: Int64.min + 1),
        ]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1_000 { amounts.append(Money(micros: Int64.random(in: -10_000_000_000...10_000_000_000, using: &random))) }
        let written = try JSONDecoder().decode([String].self, from: StreamingJSONEncoder().encode(amounts))
        let wrong = zip(amounts, written).filter { $0.0.description != $0.1 }.prefix(5).map { "\($0.0.micros): \($0.1)" }
        #expect(written.count == amounts.count)
        #expect(wrong.isEmpty, "written differently from their description (micros: text): \(wrong)")
    }

    /// Integers are written digit by digit; the text must be each one's description exactly.
    @Test func integersAreWrittenAsTheirDescription() throws {
        var integers: [Int64] = [0, 1, 9, 10, 99, 100, -1, -9, -10, 1_000_000, Int64.max, Int64.min, Int64.min + 1]
        var random = SystemRandomNumberGenerator()
        for _ in 0..<1_000 { integers.append(Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...62)) }
        for value in integers {
            #expect(String(decoding: try StreamingJSONEncoder().encodeBytes(value), as: UTF8.self) == value.description)
        }
        let unsigned: [UInt64] = [UInt64(Int64.max), UInt64(Int64.max) + 1, .max]
        for value in unsigned {
            #expect(String(decoding: try StreamingJSONEncoder().encodeBytes(value), as: UTF8.self) == value.description)
        }
        #expect(String(decoding: try StreamingJSONEncoder().encodeBytes(Int8.min), as: UTF8.self) == "-128")
    }

    @Test func datesInISO8601MatchFoundation() throws {
        let dates = [
            Date(timeIntervalSince1970: 0), Date(timeIntervalSince1970: 951_782_400),  // 2000-02-29
            Date(timeIntervalSince1970: -1), Date(timeIntervalSince1970: -2_208_988_800.5),
            Date(timeIntervalSince1970: 1_796_000_000.999), Date(timeIntervalSince1970: 4_102_444_800),
        ]
        #expect(try Self.streaming(dates, iso8601: true) == Self.foundation(dates, iso8601: true))
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let back = try decoder.decode([Date].self, from: StreamingJSONEncoder(dateStrategy: .iso8601).encode(dates))
        #expect(back.map { $0.timeIntervalSince1970 } == dates.map { $0.timeIntervalSince1970.rounded(.down) })
    }

    @Test func containersOpenedOutOfTheUsualOrderStillNest() throws {
        #expect(try Self.streaming(TwoRequests()) == Self.foundation(TwoRequests()))
        #expect(try Self.streaming(Interleaved()) == Self.foundation(Interleaved()))
        #expect(try Self.streaming([Nothing(), Nothing()]) == Self.foundation([Nothing(), Nothing()]))
        #expect(try Self.streaming("top") == "top")
        #expect(try Self.streaming(Optional<Int>.none) == .null)
    }

    struct Reading: Encodable {
        var sensor = "a"
        var values: [String: Double]
    }

    @Test func numbersJSONCannotHoldAreRefusedNamingWhere() {
        for bad in [Double.nan, .infinity, -.infinity] {
            do {
                _ = try StreamingJSONEncoder().encode(Reading(values: ["x": bad]))
                Issue.record("\(bad) was encoded")
            } catch let EncodingError.invalidValue(_, context) {
                #expect(context.codingPath.map(\.stringValue) == ["values", "x"])
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func aRealRunsRecordsEncodeAsFoundationEncodesThem() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("two-steps") {
            ModelStep("draft", prompt: "Draft a note about {{input.topic}}.")
            ModelStep("tighten", prompt: "Tighten this: {{steps.draft}}")
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["topic": "ledgers"])
        #expect(result.status == .succeeded)
        #expect(result.records.count == 2)
        #expect(result.estimate != nil)
        for iso8601 in [false, true] {
            #expect(try Self.streaming(result, iso8601: iso8601) == Self.foundation(result, iso8601: iso8601))
        }
        let decoded = try JSONDecoder().decode(RunResult.self, from: StreamingJSONEncoder().encode(result))
        #expect(decoded.records == result.records)
        #expect(decoded.totals == result.totals)
    }
}
