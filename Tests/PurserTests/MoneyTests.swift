import Purser
import Testing

@Suite("Money")
struct MoneyTests {
    @Test(arguments: [
        ("12", 12_000_000), ("0.0125", 12_500), ("-3.5", -3_500_000), (".5", 500_000), ("7.", 7_000_000),
        ("0.000001", 1), (" 2.25 ", 2_250_000), ("+1", 1_000_000),
    ] as [(String, Int64)])
    func parsesDecimalStrings(text: String, micros: Int64) throws {
        #expect(try Money(parsing: text).micros == micros)
    }

    @Test(arguments: ["", "abc", "1.2.3", "1e5", "--1", ".", "1,5", "0x10"])
    func rejectsNonDecimals(text: String) {
        #expect(throws: MoneyError.invalid(text)) { try Money(parsing: text) }
    }

    @Test func rejectsMoreThanSixPlacesRatherThanRounding() {
        #expect(throws: MoneyError.tooPrecise("0.0000001")) { try Money(parsing: "0.0000001") }
    }

    @Test func rejectsOverflow() throws {
        #expect(throws: MoneyError.outOfRange("99999999999999999999")) { try Money(parsing: "99999999999999999999") }
        // The whole part fits in micros, but adding the fraction does not (found by the server fuzz).
        for text in ["9223372036854.999999", "9223372036854.775808", "-9223372036854.775808"] {
            #expect(throws: MoneyError.outOfRange(text)) { try Money(parsing: text) }
        }
        #expect(try Money(parsing: "9223372036854.775807").micros == Int64.max)
    }

    @Test(
        arguments: [
            (12_500, "0.0125"), (3_000_000, "3.00"), (-1, "-0.000001"), (0, "0.00"), (1_230_000, "1.23"),
            (500_000, "0.50"), (10, "0.00001"), (15, "0.000015"), (1_234_567, "1.234567"), (-3_500_000, "-3.50"),
            (12_000_000_000, "12000.00"), (Int64.max, "9223372036854.775807"), (Int64.min + 1, "-9223372036854.775807"),
        ] as [(Int64, String)])
    func printsDecimalStrings(micros: Int64, text: String) {
        #expect(Money(micros: micros).description == text)
    }

    @Test func encodesAsADecimalString() throws {
        let encoded = try JSONValue(parsing: String(decoding: try JSONEncoderForTests.encode(Money(micros: 12_500)), as: UTF8.self))
        #expect(encoded == .string("0.0125"))
    }

    @Test func chargesRoundUpOncePerCall() {
        // $0.10 per million input tokens: 10 tokens cost 1 micro-unit exactly; 11 cost 1.1 → 2.
        let pricing = Pricing(inputPerMillion: Money(micros: 100_000), outputPerMillion: Money(micros: 400_000))
        #expect(pricing.cost(of: TokenUsage(inputTokens: 10)) == Money(micros: 1))
        #expect(pricing.cost(of: TokenUsage(inputTokens: 11)) == Money(micros: 2))
        #expect(pricing.cost(of: .zero) == .zero)
        // 1M in + 1M out at $0.10/$0.40 is exactly $0.50.
        #expect(pricing.cost(of: TokenUsage(inputTokens: 1_000_000, outputTokens: 1_000_000)) == Money(micros: 500_000))
    }

    @Test func cachedAndReasoningTokensArePricedApart() {
        let pricing = Pricing(
            inputPerMillion: Money(micros: 1_000_000), cachedInputPerMillion: Money(micros: 100_000),
            outputPerMillion: Money(micros: 2_000_000), reasoningPerMillion: Money(micros: 4_000_000))
        let usage = TokenUsage(inputTokens: 1000, outputTokens: 500, reasoningTokens: 200, cachedInputTokens: 400)
        // 600 × 1 + 400 × 0.1 + 300 × 2 + 200 × 4 = 600 + 40 + 600 + 800 = 2040 micro-units.
        #expect(pricing.cost(of: usage) == Money(micros: 2040))
        // Worst case: everything uncached, all output at the dearer price.
        #expect(pricing.worstCaseCost(inputTokens: 1000, maxOutputTokens: 500) == Money(micros: 3000))
    }

    @Test func cacheWritesArePricedApartAndCountInTheWorstCase() throws {
        let pricing = Pricing(
            inputPerMillion: Money(micros: 3_000_000), cachedInputPerMillion: Money(micros: 300_000),
            outputPerMillion: Money(micros: 15_000_000), cacheWriteInputPerMillion: Money(micros: 3_750_000))
        let usage = TokenUsage(inputTokens: 1000, outputTokens: 100, cachedInputTokens: 500, cacheWriteInputTokens: 400)
        // 100 × 3 + 500 × 0.3 + 400 × 3.75 + 100 × 15 = 300 + 150 + 1500 + 1500 = 3450 micro-units.
        #expect(pricing.cost(of: usage) == Money(micros: 3450))
        // The worst case prices every input token as a cache write, the dearest input: a
        // reservation covers any mix the provider reports.
        #expect(pricing.worstCaseCost(inputTokens: 1000, maxOutputTokens: 100) == Money(micros: 5250))
        // Without a cache-write price, writes cost the input price.
        let plain = Pricing(inputPerMillion: Money(micros: 1_000_000), outputPerMillion: Money(micros: 2_000_000))
        #expect(plain.cost(of: TokenUsage(inputTokens: 1000, cacheWriteInputTokens: 1000)) == Money(micros: 1000))
        // Usage recorded before cache writes were counted still reads.
        let old = #"{"inputTokens":5,"outputTokens":6,"reasoningTokens":0,"cachedInputTokens":1}"#
        let decoded = try JSONDecoder().decode(TokenUsage.self, from: Data(old.utf8))
        #expect(decoded == TokenUsage(inputTokens: 5, outputTokens: 6, cachedInputTokens: 1))
    }
}

import Foundation

enum JSONEncoderForTests {
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }
}
