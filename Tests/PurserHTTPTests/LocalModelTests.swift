import Foundation
import Purser
import PurserHTTP
import PurserSQLite
import PurserTestKit
import Testing

/// Where the local model serves, if a test run was given one.
let localModelEndpoint = ProcessInfo.processInfo.environment["PURSER_LOCAL_MODEL_URL"]

/// A workflow on a real model: SmolLM2-135M-Instruct behind llama-cpp-python's
/// OpenAI-compatible server (`scripts/local-model start`), reached through
/// `PURSER_LOCAL_MODEL_URL` (`.ci/run` sets it). The ledger must hold exactly the usage the
/// server reported, call by call. (llama-cpp-python 0.3.36 reports usage in whole answers but
/// not in streams, even when asked: a streamed call is counted with the tokenizer and flagged.)
@Suite(
    "Local model, end to end", .serialized,
    .enabled(if: localModelEndpoint != nil, "set PURSER_LOCAL_MODEL_URL (scripts/local-model start) to run"))
struct LocalModelTests {
    static var endpoint: String? { localModelEndpoint }

    /// The edge tier of the README's example: free per token, in the `local` jurisdiction.
    static func edgeTier(_ endpoint: String) -> Tier {
        Tier(
            id: "edge-smollm2", provider: "local", model: "smollm2", pricing: .free,
            latency: LatencyModel(timeToFirstTokenP50: 0.3, timeToFirstTokenP95: 1.5, outputTokensPerSecond: 30),
            reasoningDepth: .none, contextWindow: 2048, maxOutputTokens: 512, capabilities: [],
            jurisdiction: "local", concurrencyLimit: 1, endpoint: endpoint)
    }

    static func provider(stream: Bool) -> HTTPModelProvider {
        HTTPModelProvider(
            name: "local", settings: ProviderSettings(api: .openAIChat, stream: stream, maxTokensField: "max_tokens"))
    }

    @Test(.timeLimit(.minutes(3)), arguments: [true, false])
    func aWorkflowRunsOnTheRealModelAndTheLedgerHoldsWhatItReported(stream: Bool) async throws {
        let endpoint = try #require(Self.endpoint)
        let directory = try TemporaryDirectory(prefix: "purser-local-model")
        let ledger = try SQLiteLedger(dataDirectory: directory.path)
        let engine = Engine(
            tiers: [Self.edgeTier(endpoint)], providers: [Self.provider(stream: stream)], ledger: ledger, journal: ledger,
            runStore: ledger)
        let workflow = Workflow("edge-notes") {
            ModelStep("draft", prompt: "Write one short sentence about keeping a budget.").maxOutputTokens(48)
                .timeout(.seconds(60))
            ModelStep("title", prompt: "Give a three-word title for: {{steps.draft}}").maxOutputTokens(16)
                .timeout(.seconds(60))
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        #expect(result.records.count == 2)
        var reported = 0
        for record in result.records {
            // Whole answers carry the server's own usage, settled as reported; streams carry none.
            #expect(record.usageIsEstimated == stream, "\(record.key)")
            #expect(record.tierID == "edge-smollm2")
            #expect(record.calls.count == 1)
            #expect(record.usage.inputTokens > 0)
            #expect(record.usage.outputTokens > 0)
            #expect(record.usage.outputTokens <= (record.key == "draft" ? 48 : 16))
            #expect(record.cost == .zero)
            reported += record.usage.totalTokens
        }
        let answer = result.output.map(\.templateText) ?? ""
        #expect(!answer.isEmpty)

        // The ledger file holds the same tokens, in two settled calls, with nothing left reserved.
        let rows = try ledger.spend(by: .tier, from: .distantPast, to: .distantFuture)
        #expect(rows.map(\.key) == ["edge-smollm2"])
        #expect(rows.first?.tokens == reported)
        #expect(rows.first?.calls == 2)
        #expect(rows.first?.cost == .zero)
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
    }

    @Test(.timeLimit(.minutes(1)))
    func aCallTooLargeForTheContextFailsAsSuch() async throws {
        let endpoint = try #require(Self.endpoint)
        let prompt = String(repeating: "budget ledger reservation settlement ", count: 800)
        do {
            _ = try await Self.provider(stream: false).complete(
                ModelRequest(messages: [.user(prompt)], maxOutputTokens: 16, timeout: .seconds(30)), on: Self.edgeTier(endpoint))
            Issue.record("a prompt of about 4,000 tokens fitted a 2,048-token context")
        } catch let error as ProviderError {
            #expect(error.kind == .contextLengthExceeded, "\(error)")
            #expect(!error.isRetryable)
        }
    }
}
