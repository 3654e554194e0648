import Foundation
import Purser
import PurserHTTP
import PurserTestKit
import Testing

/// Every failure a provider sends, from a scripted server on this machine, through the real
/// engine: after each, the right retry or fallback happened and the ledger is exact (each call
/// charged once at what was reported or counted, nothing left reserved).
@Suite("HTTP providers: faults")
struct ProviderFaultTests {
    static let key = "sk-test-7Hq2-secret-value"
    static let retry = RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1), jitter: 0)

    /// A primary tier and a dearer backup, each its own provider on the same scripted server.
    struct Setup {
        let server: ScriptedHTTPServer
        let ledger = InMemoryLedger()
        let engine: Engine

        init(_ script: [ScriptedHTTPServer.Reply], api: ProviderAPI = .openAIChat, stream: Bool = true) throws {
            server = try ScriptedHTTPServer(script: script)
            let base = server.endpoint + "/v1"
            var primary = Tier.scripted("primary", provider: "primary-api", depth: .low, input: 1_000_000, output: 2_000_000)
            primary.endpoint = base
            var backup = Tier.scripted("backup", provider: "backup-api", depth: .low, input: 3_000_000, output: 6_000_000)
            backup.endpoint = base
            let settings = ProviderSettings(api: api, apiKeyVariable: "TEST_KEY", stream: stream)
            let environment = ["TEST_KEY": ProviderFaultTests.key]
            engine = Engine(
                tiers: [primary, backup],
                providers: [
                    HTTPModelProvider(name: "primary-api", settings: settings, environment: environment),
                    HTTPModelProvider(name: "backup-api", settings: settings, environment: environment),
                ],
                ledger: ledger)
        }

        func run(timeout: Duration = .seconds(20)) async throws -> (RunResult, StepRecord) {
            let workflow = Workflow("fault") {
                ModelStep("answer", prompt: "Say hello.").retry(ProviderFaultTests.retry).timeout(timeout).maxOutputTokens(200)
            }
            let result = try await engine.run(try engine.compile(workflow), input: [:])
            let record = try #require(result.records.first)
            return (result, record)
        }

        /// Nothing reserved is left open, and what was settled is exactly `expected`.
        func expectLedger(settled expected: Money, settlements: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
            let open = await ledger.openReservations
            let spent = await ledger.spent
            let settles = await ledger.allEntries.filter { $0.kind == .settle }.count
            #expect(open.isEmpty, "reservations left open: \(open)", sourceLocation: sourceLocation)
            #expect(spent == expected, sourceLocation: sourceLocation)
            #expect(settles == settlements, sourceLocation: sourceLocation)
        }
    }

    /// A streamed answer as OpenAI sends it; `usage` nil leaves the usage chunk out.
    static func stream(_ pieces: [String], usage: (input: Int, output: Int)? = (9, 12)) -> [String] {
        var events = [#"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"#]
        for piece in pieces {
            events.append(#"data: {"choices":[{"index":0,"delta":{"content":"\#(piece)"},"finish_reason":null}]}"#)
        }
        events.append(#"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#)
        if let usage {
            events.append(
                #"data: {"choices":[],"usage":{"prompt_tokens":\#(usage.input),"completion_tokens":\#(usage.output),"total_tokens":\#(usage.input + usage.output)}}"#)
        }
        events.append("data: [DONE]")
        return events
    }

    static let answer = ScriptedHTTPServer.Reply.stream(stream(["Hello", " there"]))
    /// 9 input and 12 output tokens on the primary ($1/$2 per million), and on the backup ($3/$6).
    static let primaryCost = Money(micros: 33)
    static let backupCost = Money(micros: 99)

    @Test func rateLimitedIsRetriedOnTheSameTierAfterRetryAfter() async throws {
        let setup = try Setup([
            .status(429, json: #"{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}"#, headers: [("Retry-After", "0")]),
            Self.answer,
        ])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(result.output == "Hello there")
        #expect(record.calls.map(\.tierID) == ["primary", "primary"])
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded])
        #expect(record.usage == TokenUsage(inputTokens: 9, outputTokens: 12))
        #expect(!record.usageIsEstimated)
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
        // The key went in the header, and the request was what the API expects.
        let requests = setup.server.requests
        #expect(requests.map(\.path) == ["/v1/chat/completions", "/v1/chat/completions"])
        #expect(requests.first?.headers["authorization"] == "Bearer \(Self.key)")
        let body = try JSONValue(parsing: requests.first?.body ?? "")
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["max_completion_tokens"] == 200)
    }

    @Test(arguments: [500, 503, 529])
    func serverFailuresUseTheRetriesThenFallBackToTheNextTier(status: Int) async throws {
        let failure = ScriptedHTTPServer.Reply.status(status, json: #"{"error":{"message":"upstream trouble"}}"#)
        let setup = try Setup([failure, failure, Self.answer])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.tierID) == ["primary", "primary", "backup"])
        #expect(record.tierID == "backup")
        await setup.expectLedger(settled: Self.backupCost, settlements: 1)
    }

    @Test func aContextLengthErrorIsNotRetriedOnTheSameTier() async throws {
        let setup = try Setup([
            .status(400, json: #"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}"#),
            Self.answer,
        ])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.tierID) == ["primary", "backup"])
        await setup.expectLedger(settled: Self.backupCost, settlements: 1)
    }

    @Test func aRefusedKeyIsNotRetriedAndTheErrorNamesTheVariableNotTheKey() async throws {
        let setup = try Setup([
            .status(401, json: #"{"error":{"message":"Incorrect API key provided: \#(Self.key). You can find your API key at https://platform.openai.com/account/api-keys.","type":"invalid_request_error","code":"invalid_api_key"}}"#),
            Self.answer,
        ])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.tierID) == ["primary", "backup"])
        let message = record.calls.first?.error?.message ?? ""
        #expect(message.contains("$TEST_KEY"), "\(message)")
        #expect(!message.contains(Self.key), "\(message)")
        #expect(!message.contains("7Hq2"), "\(message)")
        await setup.expectLedger(settled: Self.backupCost, settlements: 1)
    }

    @Test func aMissingKeyFailsBeforeAnyRequest() async throws {
        let server = try ScriptedHTTPServer(script: [])
        var tier = Tier.scripted("primary", provider: "primary-api")
        tier.endpoint = server.endpoint + "/v1"
        let provider = HTTPModelProvider(
            name: "primary-api", settings: ProviderSettings(api: .openAIChat, apiKeyVariable: "NOT_SET_ANYWHERE"),
            environment: [:])
        await #expect(throws: ProviderError.self) {
            try await provider.complete(ModelRequest(messages: [.user("hi")], maxOutputTokens: 10), on: tier)
        }
        #expect(server.requests.isEmpty)
    }

    @Test func aSlowFirstByteTimesOutAndIsRetried() async throws {
        let setup = try Setup([.stream(Self.stream(["late"]), firstByte: .seconds(10)), Self.answer])
        let (result, record) = try await setup.run(timeout: .seconds(1))
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded])
        #expect(record.calls.first?.error?.code == .timedOut)
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
    }

    @Test func aSlowStreamWithinTheTimeoutIsAnswered() async throws {
        let setup = try Setup([.stream(Self.stream(["a", "b", "c"]), gap: .milliseconds(150))])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(result.output == "abc")
        #expect((record.calls.first?.latency ?? 0) >= 0.45)
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
    }

    @Test(arguments: [2, 3])
    func aStreamDroppedMidwayIsChargedForWhatArrivedThenRetried(dropAfter: Int) async throws {
        let setup = try Setup([.stream(Self.stream(["Hello", " wor"]), dropAfter: dropAfter), Self.answer])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded])
        // The cut call is settled at the prompt plus what it wrote, counted; then the retry.
        let cut = try #require(record.calls.first)
        #expect(cut.usage.inputTokens > 0)
        #expect(cut.usage.outputTokens > 0)
        #expect(cut.cost > .zero)
        await setup.expectLedger(settled: cut.cost + Self.primaryCost, settlements: 2)
    }

    @Test func aStreamThatRunsOutOfTimeIsChargedForWhatArrivedThenRetried() async throws {
        let events = [#"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":"Hello"},"finish_reason":null}]}"#]
            + Self.stream([" there"]).dropFirst()
        let setup = try Setup([.stream(Array(events), gap: .seconds(10)), Self.answer])
        let (result, record) = try await setup.run(timeout: .seconds(2))
        #expect(result.status == .succeeded)
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded], "\(record.calls.map { $0.error?.message ?? "ok" })")
        let late = try #require(record.calls.first)
        #expect(late.error?.code == .timedOut)
        #expect(late.usage.outputTokens == 1)  // "Hello"
        #expect(late.usage.inputTokens > 0)
        await setup.expectLedger(settled: late.cost + Self.primaryCost, settlements: 2)
    }

    @Test func badJSONIsAMalformedResponseAndIsRetried() async throws {
        let setup = try Setup(
            [
                .status(200, json: #"{"choices":[{"message":{"content":"cut"#),
                .status(200, json: #"{"choices":[{"index":0,"message":{"role":"assistant","content":"fine"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#),
            ], stream: false)
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(result.output == "fine")
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded])
        #expect(record.calls.first?.error?.message.contains("malformedResponse") == true)
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
    }

    @Test func aServerThatIgnoresStreamIsReadAsOneAnswer() async throws {
        let setup = try Setup([
            .status(200, json: #"{"choices":[{"index":0,"message":{"role":"assistant","content":"whole"},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21}}"#)
        ])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(result.output == "whole")
        #expect(record.calls.count == 1)
        #expect(!record.usageIsEstimated)
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
    }

    @Test func anAnswerWithoutUsageIsCountedAndFlaggedEstimated() async throws {
        let setup = try Setup([.stream(Self.stream(["Hello", " there"], usage: nil))])
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(record.usageIsEstimated)
        #expect(record.usage.inputTokens > 0)
        #expect(record.usage.outputTokens == 2)  // "Hello there" in o200k_base
        await setup.expectLedger(settled: record.cost, settlements: 1)
        #expect(record.cost > .zero)
    }

    @Test func anthropicStreamsAreSettledAtTheirReportedUsageAndOverloadIsRetried() async throws {
        let events = [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,\"cache_read_input_tokens\":4,\"cache_creation_input_tokens\":0,\"output_tokens\":1}}}",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":12}}",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}",
        ]
        let overloaded = [
            events[0],
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
        ]
        let setup = try Setup([.stream(overloaded), .stream(events)], api: .anthropicMessages)
        let (result, record) = try await setup.run()
        #expect(result.status == .succeeded)
        #expect(result.output == "Hi")
        #expect(record.calls.map(\.outcome) == [.failed, .succeeded])
        // 9 input tokens (4 of them cache reads, priced as input here) and 12 output tokens.
        #expect(record.usage == TokenUsage(inputTokens: 9, outputTokens: 12, cachedInputTokens: 4))
        await setup.expectLedger(settled: Self.primaryCost, settlements: 1)
        let request = try #require(setup.server.requests.first)
        #expect(request.path == "/v1/messages")
        #expect(request.headers["x-api-key"] == Self.key)
        #expect(request.headers["anthropic-version"] == "2023-06-01")
    }
}
