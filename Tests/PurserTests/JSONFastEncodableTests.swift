import Foundation
@testable import Purser
import PurserTestKit
import Testing

/// The types that write their own JSON must write, byte for byte, what their `Codable`
/// conformance writes through the same encoder, and read back equal.
@Suite("JSON fast paths")
struct JSONFastEncodableTests {
    static func bothWays<T: Codable & Equatable>(_ value: T, _ type: T.Type = T.self) throws {
        for (strategy, fast, codable) in try jsonWithAndWithoutFastPaths(value) {
            #expect(fast == codable, "\(T.self), \(strategy)")
        }
        let decoded = try JSONDecoder().decode(T.self, from: StreamingJSONEncoder().encode(value))
        #expect(decoded == value)
    }

    /// One rejection of every kind of fact, the fast-written ones and those left to `Codable`.
    static let everyRejection: [TierRejection] = [
        TierRejection(tierID: "a", .jurisdiction(tier: "us", allowed: ["uk"])),
        TierRejection(tierID: "b", .capability(missing: [.tools])),
        TierRejection(tierID: "c", .depth(tier: .none, needed: .high)),
        TierRejection(tierID: "d", .context(window: 8_000, needed: 9_001)),
        TierRejection(tierID: "e", .maxOutput(limit: 4_096, asked: 8_192)),
        TierRejection(tierID: "f", .latency(predictedP95: 2.0133333333333336, need: .interactive)),
        TierRejection(tierID: "g", .latency(predictedP95: 31, need: .standard)),
        TierRejection(tierID: "h", .latency(predictedP95: 1e-7, need: .p95(seconds: 0.25))),
        TierRejection(tierID: "i", .batchOnly(need: .batch)),
        TierRejection(tierID: "j", .unhealthy(.open(consecutiveFailures: 5, retryInSeconds: 12.5))),
        TierRejection(tierID: "k", .busy(limit: 16)),
        TierRejection(tierID: "l", .cost(expected: Money(micros: 76), chosen: Money(micros: 1_234_567_890))),
        TierRejection(tierID: "m", .overBudget(worstCase: Money(micros: 124), limit: .zero)),
        TierRejection(tierID: "n", .failed(error: "HTTP 503 \"overloaded\"\nretry\tlater \u{01}")),
        TierRejection(tierID: "o", .outputRejected(problem: "not JSON: é ☃ 𝄞")),
        TierRejection(tierID: "p", .other(reason: .tooDear, detail: "custom")),
    ]

    @Test func everyKindOfRejectionWritesWhatCodableWrites() throws {
        for rejection in Self.everyRejection { try Self.bothWays(rejection) }
        try Self.bothWays(Self.everyRejection)
        for need in [LatencyNeed.interactive, .standard, .batch, .p95(seconds: 3.5)] { try Self.bothWays(need) }
    }

    @Test func recordsAndEstimatesOfRealRunsWriteWhatCodableWrites() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("fast-paths") {
            ModelStep("draft", prompt: "Draft a note about {{input.topic}}.").needs(latency: .interactive).maxOutputTokens(300)
            ModelStep("tighten", prompt: "Tighten this: {{steps.draft}}").needs(reasoning: .medium)
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["topic": "ledgers"])
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        #expect(result.records.count == 2)
        let estimate = try #require(result.estimate)
        try Self.bothWays(estimate)
        for step in estimate.steps {
            try Self.bothWays(step)
            try Self.bothWays(step.cost)
        }
        for var record in result.records {
            try Self.bothWays(record)
            let decision = try #require(record.decision)
            #expect(decision.rejectedCount > 0)
            try Self.bothWays(decision)
            for call in record.calls { try Self.bothWays(call) }
            // Every optional present, and every kind of rejection in the decision.
            record.tool = "calculator"
            record.error = PurserError(.timedOut, "no answer within 2 s", stepKey: record.key, isRetryable: true)
            record.resultTokens = 42
            record.usage = TokenUsage(
                inputTokens: 1, outputTokens: 2, reasoningTokens: 3, cachedInputTokens: 4, cacheWriteInputTokens: 5)
            record.usageIsEstimated = true
            record.decision?.spendingLimit = Money(micros: 5)
            record.decision?.rejected = Self.everyRejection
            record.calls.append(
                CallAttempt(tierID: "x", outcome: .failed, latency: 0.5, error: PurserError(.providerFailure, "boom")))
            try Self.bothWays(record)
        }
        try Self.bothWays(result.records)
        try Self.bothWays(result.totals)
        let entry = JournalEntry(runID: result.id, record: result.records[0], output: result.output ?? .null)
        try Self.bothWays(entry)
        var summary = RunSummary(
            id: result.id, workflow: result.workflow, status: result.status, input: Self.everyKindOfValue,
            tags: ["team": "support", "tier": "gold"], startedAt: Date(timeIntervalSince1970: 1_796_000_000.25))
        try Self.bothWays(summary)
        summary.endedAt = Date(timeIntervalSince1970: 1_796_000_001.5)
        summary.totals = result.totals
        summary.output = Self.everyKindOfValue
        summary.error = PurserError(.budgetExceeded, "over \"the\" cap", stepKey: "a")
        try Self.bothWays(summary)
    }

    /// A decision's rejections are rendered once and their bytes reused: written again, inside
    /// a journal entry, in an array of records, or by a copy, they are still what `Codable`
    /// writes; a decision given other rejections writes those, and the original is unchanged.
    @Test func aDecisionWrittenAgainWritesTheSameRejections() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("written-twice") {
            ModelStep("draft", prompt: "Draft a note about {{input.topic}}.").needs(latency: .interactive)
                .maxOutputTokens(300)
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["topic": "ledgers"])
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        let record = try #require(result.records.first)
        let decision = try #require(record.decision)
        try #require(decision.rejectedCount > 1)

        let first = try StreamingJSONEncoder().encodeBytes(decision)
        #expect(try StreamingJSONEncoder().encodeBytes(decision) == first)
        let entry = JournalEntry(runID: result.id, record: record, output: result.output ?? .null)
        for value in [entry as any Encodable, [record, record], decision] {
            for (strategy, fast, codable) in try jsonWithAndWithoutFastPaths(value) {
                #expect(fast == codable, "\(type(of: value)), \(strategy)")
            }
        }

        var changed = decision
        changed.rejected = [decision.rejected[1]]
        let changedJSON = String(decoding: try StreamingJSONEncoder().encodeBytes(changed), as: UTF8.self)
        #expect(!changedJSON.contains("\"tierID\":\"\(decision.rejected[0].tierID)\""))
        #expect(changedJSON.contains("\"tierID\":\"\(decision.rejected[1].tierID)\""))
        for (strategy, fast, codable) in try jsonWithAndWithoutFastPaths(changed) {
            #expect(fast == codable, "\(strategy)")
        }
        #expect(try StreamingJSONEncoder().encodeBytes(decision) == first)
    }

    static let everyKindOfValue: JSONValue = [
        "null": .null, "yes": true, "no": false, "int": 42, "negative": -7.25, "big": 1e300, "small": 1e-7,
        "text": "quote \" back \\ line\n \u{01} é ☃ 𝄞", "empty": "", "list": [1, "two", [3], ["four": 4]],
        "nothing": [], "object": ["b": ["c": [true, .null]], "a": [:]],
    ]

    @Test func jsonValuesWriteWhatCodableWrites() throws {
        try Self.bothWays(Self.everyKindOfValue)
        for value in Self.everyKindOfValue.objectValue!.values { try Self.bothWays(value) }
    }
}
