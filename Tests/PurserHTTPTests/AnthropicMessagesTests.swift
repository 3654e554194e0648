import Purser
import PurserTestKit
import Testing

@testable import PurserHTTP

/// Request bodies and answers of Anthropic's Messages API, against example payloads written
/// from Anthropic's API reference.
@Suite("Anthropic Messages")
struct AnthropicMessagesTests {
    static func tier(reasoning: ReasoningDepth = .none) -> Tier {
        var tier = Tier.scripted("claude-test", provider: "anthropic", depth: reasoning)
        tier.model = "claude-sonnet-4-20250514"
        tier.endpoint = "https://api.anthropic.com/v1"
        return tier
    }

    @Test func systemTextToolUseAndToolResultsTakeTheirPlaces() {
        let request = ModelRequest(
            messages: [
                .system("Be brief."), .user("Weather in Paris and Rome?"),
                ChatMessage(
                    role: .assistant, content: "Checking both.",
                    toolCalls: [
                        ToolCall(id: "toolu_1", name: "get_weather", arguments: ["location": "Paris"]),
                        ToolCall(id: "toolu_2", name: "get_weather", arguments: ["location": "Rome"]),
                    ]),
                ChatMessage(role: .tool, content: "18°C", toolCallID: "toolu_1"),
                ChatMessage(role: .tool, content: "24°C", toolCallID: "toolu_2"),
            ],
            tools: [OpenAIChatTests.weatherTool], maxOutputTokens: 500)
        let body = AnthropicMessages.body(for: request, tier: Self.tier(), settings: ProviderSettings(api: .anthropicMessages))
        #expect(body["model"] == "claude-sonnet-4-20250514")
        #expect(body["max_tokens"] == 500)
        #expect(body["system"] == "Be brief.")
        #expect(body["stream"] == true)
        #expect(body["thinking"] == nil)
        let messages = body["messages"]?.arrayValue ?? []
        #expect(messages.count == 3)
        #expect(messages[0] == ["role": "user", "content": "Weather in Paris and Rome?"])
        #expect(
            messages[1] == [
                "role": "assistant",
                "content": [
                    ["type": "text", "text": "Checking both."],
                    ["type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": ["location": "Paris"]],
                    ["type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": ["location": "Rome"]],
                ],
            ])
        // Both results go back in one user turn, as the API requires.
        #expect(
            messages[2] == [
                "role": "user",
                "content": [
                    ["type": "tool_result", "tool_use_id": "toolu_1", "content": "18°C"],
                    ["type": "tool_result", "tool_use_id": "toolu_2", "content": "24°C"],
                ],
            ])
        #expect(body["tools"]?.arrayValue?.first?["input_schema"]?["required"] == ["location"])
    }

    @Test func thinkingGetsABudgetFromTheStepsDepthWithinItsLimit() {
        #expect(AnthropicMessages.thinkingBudget(.none, maxTokens: 32_000) == nil)
        #expect(AnthropicMessages.thinkingBudget(.low, maxTokens: 32_000) == 1024)
        #expect(AnthropicMessages.thinkingBudget(.medium, maxTokens: 32_000) == 4096)
        #expect(AnthropicMessages.thinkingBudget(.high, maxTokens: 32_000) == 16_384)
        // A quarter of the limit stays for the answer; under the API's 1,024 minimum, no thinking.
        #expect(AnthropicMessages.thinkingBudget(.high, maxTokens: 8000) == 6000)
        #expect(AnthropicMessages.thinkingBudget(.high, maxTokens: 1200) == nil)
        let request = ModelRequest(messages: [.user("Prove it")], maxOutputTokens: 20_000, reasoningEffort: .medium)
        let body = AnthropicMessages.body(
            for: request, tier: Self.tier(reasoning: .high), settings: ProviderSettings(api: .anthropicMessages, stream: false))
        #expect(body["thinking"] == ["type": "enabled", "budget_tokens": 4096])
        #expect(body["stream"] == nil)
        // A tier that does not reason is never asked to think.
        let plain = AnthropicMessages.body(for: request, tier: Self.tier(), settings: ProviderSettings(api: .anthropicMessages))
        #expect(plain["thinking"] == nil)
    }

    @Test func aJSONStepStatesItsSchemaInTheSystemText() {
        let schema = JSONSchema(type: .object, properties: ["score": JSONSchema(type: .integer)], required: ["score"])
        let request = ModelRequest(messages: [.system("You rate."), .user("Rate it")], maxOutputTokens: 100, outputSchema: schema)
        let body = AnthropicMessages.body(for: request, tier: Self.tier(), settings: ProviderSettings(api: .anthropicMessages))
        let system = body["system"]?.stringValue ?? ""
        #expect(system.hasPrefix("You rate.\n\n"))
        #expect(system.contains(schema.jsonValue.compactJSON))
    }

    @Test func anAnswerGivesTextToolUseAndUsageWithCacheReadsAndWrites() throws {
        let json = try JSONValue(parsing: """
            {"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-20250514",
             "content":[{"type":"thinking","thinking":"Let me check the weather.","signature":"WaUjzkypQ2mUEVM36O2TxuC06KN8xyfbJwyem2dw3URve/op91XWHOEBLLqIOMfFG/UvLEczmEsUjavL"},
             {"type":"text","text":"I'll look that up."},
             {"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"get_weather","input":{"location":"San Francisco, CA"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":2095,"cache_creation_input_tokens":1000,"cache_read_input_tokens":3000,"output_tokens":503}}
            """)
        let answer = try AnthropicMessages.answer(from: json)
        #expect(answer.text == "I'll look that up.")
        #expect(answer.stopReason == "tool_use")
        #expect(
            answer.toolCalls == [
                ToolCall(id: "toolu_01A09q90qw90lq917835lq9", name: "get_weather", arguments: ["location": "San Francisco, CA"])
            ])
        let usage = try #require(answer.usage)
        #expect(usage == TokenUsage(inputTokens: 6095, outputTokens: 503, cachedInputTokens: 3000, cacheWriteInputTokens: 1000))
        // Claude Sonnet 4: $3 input, $3.75 cache writes, $0.30 cache reads, $15 output per million.
        let pricing = Pricing(
            inputPerMillion: Money(micros: 3_000_000), cachedInputPerMillion: Money(micros: 300_000),
            outputPerMillion: Money(micros: 15_000_000), cacheWriteInputPerMillion: Money(micros: 3_750_000))
        // 2,095 × 3 + 3,000 × 0.3 + 1,000 × 3.75 + 503 × 15 = 6,285 + 900 + 3,750 + 7,545 = 18,480 micros.
        #expect(pricing.cost(of: usage) == Money(micros: 18_480))
    }

    static let toolStream = """
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_014p7gG3wDgGV9EUtLvnow3U","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","stop_sequence":null,"usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":100,"output_tokens":2},"content":[],"stop_reason":null}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user wants the weather."}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: ping
        data: {"type": "ping"}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Okay, let's check"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":" the weather."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: content_block_start
        data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01T1x1fJ34qAmk2tNTrN7Up6","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"location\\":"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":" \\"San Francisco, CA\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":2}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

        event: message_stop
        data: {"type":"message_stop"}


        """

    static func feed(_ text: String, pieces: Int) throws -> AnthropicMessages.Stream {
        try assemble(text, pieces: pieces, into: AnthropicMessages.Stream.self)
    }

    @Test(arguments: [1, 9, 300])
    func aStreamAssemblesThinkingTextAndToolInput(pieces: Int) throws {
        let stream = try Self.feed(Self.toolStream, pieces: pieces)
        #expect(stream.done)
        let answer = try stream.finish()
        #expect(answer.text == "Okay, let's check the weather.")
        #expect(answer.stopReason == "tool_use")
        #expect(
            answer.toolCalls == [
                ToolCall(id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6", name: "get_weather", arguments: ["location": "San Francisco, CA"])
            ])
        // Input from message_start (cache reads inside), output from the last message_delta.
        #expect(answer.usage == TokenUsage(inputTokens: 572, outputTokens: 89, cachedInputTokens: 100))
    }

    @Test func aCutStreamStillKnowsThePromptsTokens() throws {
        let cut = Self.toolStream.components(separatedBy: "event: content_block_stop").first ?? ""
        let stream = try Self.feed(cut, pieces: 3)
        #expect(!stream.done)
        #expect(stream.reportedInputTokens == TokenUsage(inputTokens: 572, cachedInputTokens: 100))
        #expect(stream.textSoFar.contains("The user wants the weather."))
    }

    @Test func countsThatAreNoCountsAreMalformed() throws {
        for bad in ["-3", "1e20", "0.5", "null, \"input_tokens\": \"many\""] {
            let text = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"output_tokens\":1,\"input_tokens\":\(bad)}}}\n\n"
            let error = try #require(throws: ProviderError.self, "\(bad)") { try Self.feed(text, pieces: 1) }
            #expect(error.kind == .malformedResponse)
        }
        let index = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":-1,\"content_block\":{\"type\":\"text\"}}\n\n"
        #expect(throws: ProviderError.self) { try Self.feed(index, pieces: 1) }
    }

    @Test func anErrorEventFailsTheCallAsOverloaded() throws {
        let text = """
            event: message_start
            data: {"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}

            event: error
            data: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}


            """
        do {
            _ = try Self.feed(text, pieces: 1)
            Issue.record("the error event was not reported")
        } catch let error as ProviderError {
            #expect(error.kind == .overloaded)
            #expect(error.isRetryable)
        }
    }

    @Test func errorAnswersMapToWhatTheEngineRetries() {
        #expect(
            AnthropicMessages.failure(status: 400, type: "invalid_request_error", message: "prompt is too long: 210000 tokens > 200000 maximum")
                .kind == .contextLengthExceeded)
        #expect(AnthropicMessages.failure(status: 400, type: "invalid_request_error", message: "max_tokens: required").kind == .invalidRequest)
        #expect(AnthropicMessages.failure(status: 401, type: "authentication_error", message: "invalid x-api-key").kind == .authentication)
        #expect(AnthropicMessages.failure(status: 403, type: "permission_error", message: "no access").kind == .authentication)
        let limited = AnthropicMessages.failure(status: 429, type: "rate_limit_error", message: "Number of requests", retryAfter: 7)
        #expect(limited.kind == .rateLimited)
        #expect(limited.retryAfter == 7)
        #expect(AnthropicMessages.failure(status: 529, type: "overloaded_error", message: "Overloaded").kind == .overloaded)
        #expect(AnthropicMessages.failure(status: 500, type: "api_error", message: "Internal").kind == .serverError)
    }
}
