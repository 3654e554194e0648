import Purser
import PurserTestKit
import Testing

@testable import PurserHTTP

/// Request bodies and answers of OpenAI's chat completions API, against example payloads
/// written from OpenAI's API reference.
@Suite("OpenAI chat completions")
struct OpenAIChatTests {
    static let weatherTool = ToolDefinition(
        name: "get_weather", description: "The weather now in a city.",
        parameters: JSONSchema(type: .object, properties: ["location": JSONSchema(type: .string)], required: ["location"]))

    static func tier(reasoning: ReasoningDepth = .none) -> Tier {
        var tier = Tier.scripted("gpt-test", provider: "openai", depth: reasoning)
        tier.model = "gpt-4.1-mini"
        tier.endpoint = "https://api.openai.com/v1"
        return tier
    }

    @Test func aRequestCarriesMessagesToolsTheLimitAndStreamingUsage() {
        let request = ModelRequest(
            messages: [
                .system("Be brief."), .user("Weather in Paris?"),
                ChatMessage(
                    role: .assistant, content: "",
                    toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: ["location": "Paris"])]),
                ChatMessage(role: .tool, content: "18°C, clear", toolCallID: "call_1"),
            ],
            tools: [Self.weatherTool], maxOutputTokens: 300)
        let body = OpenAIChat.body(for: request, tier: Self.tier(), settings: ProviderSettings(api: .openAIChat))
        #expect(body["model"] == "gpt-4.1-mini")
        #expect(body["max_completion_tokens"] == 300)
        #expect(body["max_tokens"] == nil)
        #expect(body["stream"] == true)
        #expect(body["stream_options"] == ["include_usage": true])
        #expect(body["reasoning_effort"] == nil)
        #expect(body["response_format"] == nil)
        let messages = body["messages"]?.arrayValue ?? []
        #expect(messages.count == 4)
        #expect(messages[0] == ["role": "system", "content": "Be brief."])
        #expect(messages[2]["content"] == .null)
        #expect(
            messages[2]["tool_calls"] == [
                ["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": #"{"location":"Paris"}"#]]
            ])
        #expect(messages[3] == ["role": "tool", "content": "18°C, clear", "tool_call_id": "call_1"])
        let tool = body["tools"]?.arrayValue?.first
        #expect(tool?["type"] == "function")
        #expect(tool?["function"]?["name"] == "get_weather")
        #expect(tool?["function"]?["parameters"]?["required"] == ["location"])
    }

    @Test func reasoningTiersGetTheEffortAndJSONStepsASchema() throws {
        let schema = JSONSchema(type: .object, properties: ["score": JSONSchema(type: .integer)], required: ["score"])
        let request = ModelRequest(
            messages: [.user("Rate it")], maxOutputTokens: 2000, reasoningEffort: .high, outputSchema: schema)
        let settings = ProviderSettings(api: .openAIChat, stream: false, maxTokensField: "max_tokens")
        let body = OpenAIChat.body(for: request, tier: Self.tier(reasoning: .high), settings: settings)
        #expect(body["reasoning_effort"] == "high")
        #expect(body["max_tokens"] == 2000)
        #expect(body["stream"] == nil)
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["schema"] == schema.jsonValue)
        // A tier that does not reason is not sent the parameter (servers reject it).
        let plain = OpenAIChat.body(for: request, tier: Self.tier(), settings: settings)
        #expect(plain["reasoning_effort"] == nil)
        // llama-cpp-python's server takes the schema with json_object.
        let llama = ProviderSettings(api: .openAIChat, maxTokensField: "max_tokens", jsonMode: .jsonObject)
        let constrained = OpenAIChat.body(for: request, tier: Self.tier(), settings: llama)
        #expect(constrained["response_format"] == ["type": "json_object", "schema": schema.jsonValue])
    }

    @Test func anAnswerGivesTextAndExactUsage() throws {
        let json = try JSONValue(parsing: """
            {"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,
             "model":"gpt-4.1-2025-04-14","choices":[{"index":0,"message":{"role":"assistant",
             "content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,
             "finish_reason":"stop"}],"usage":{"prompt_tokens":1019,"completion_tokens":410,"total_tokens":1429,
             "prompt_tokens_details":{"cached_tokens":768,"audio_tokens":0},"completion_tokens_details":
             {"reasoning_tokens":256,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
             "service_tier":"default"}
            """)
        let answer = try OpenAIChat.answer(from: json)
        #expect(answer.text == "Hello! How can I assist you today?")
        #expect(answer.stopReason == "stop")
        #expect(answer.toolCalls.isEmpty)
        #expect(answer.usage == TokenUsage(inputTokens: 1019, outputTokens: 410, reasoningTokens: 256, cachedInputTokens: 768))
    }

    @Test func anAnswerWithToolCallsParsesTheirArguments() throws {
        let json = try JSONValue(parsing: """
            {"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_12345xyz",
             "type":"function","function":{"name":"get_weather","arguments":"{\\"location\\":\\"Paris, France\\"}"}}]},
             "finish_reason":"tool_calls"}],"usage":{"prompt_tokens":82,"completion_tokens":17,"total_tokens":99}}
            """)
        let answer = try OpenAIChat.answer(from: json)
        #expect(answer.text == "")
        #expect(answer.toolCalls == [ToolCall(id: "call_12345xyz", name: "get_weather", arguments: ["location": "Paris, France"])])
        #expect(answer.usage == TokenUsage(inputTokens: 82, outputTokens: 17))
    }

    @Test func malformedAnswersAreMalformedResponses() throws {
        let usage = #"{"choices":[{"message":{"content":"hi"}}],"usage":{"prompt_tokens":%@,"completion_tokens":3}}"#
        let cases = [
            #"{"choices":[]}"#,
            #"{"object":"chat.completion"}"#,
            #"{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"f","arguments":"{not json"}}]}}]}"#,
            // Counts that are no counts: refused, never settled, never a crash.
            usage.replacingOccurrences(of: "%@", with: "-1"),
            usage.replacingOccurrences(of: "%@", with: "1e300"),
            usage.replacingOccurrences(of: "%@", with: "2.5"),
            usage.replacingOccurrences(of: "%@", with: #""12""#),
        ]
        for text in cases {
            let error = try #require(throws: ProviderError.self, "\(text)") {
                try OpenAIChat.answer(from: try JSONValue(parsing: text))
            }
            #expect(error.kind == .malformedResponse, "\(text)")
        }
        let hugeIndex = #"data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1e30,"id":"x","function":{"name":"f"}}]}}]}"# + "\n\n"
        #expect(throws: ProviderError.self) { try assemble(hugeIndex, pieces: 1, into: OpenAIChat.Stream.self) }
        // No usage is not an error: the provider counts it itself.
        let bare = try OpenAIChat.answer(from: try JSONValue(parsing: #"{"choices":[{"message":{"content":"hi"}}]}"#))
        #expect(bare.usage == nil)
    }

    /// A text stream as OpenAI sends it with `include_usage`: the usage in a last chunk with no
    /// choices, then `[DONE]`.
    static let textStream = """
        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":" there"},"finish_reason":null}],"usage":null}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

        data: {"id":"chatcmpl-123","object":"chat.completion.chunk","created":1694268190,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":4}}}

        data: [DONE]


        """

    static func feed(_ text: String, pieces: Int) throws -> OpenAIChat.Stream {
        try assemble(text, pieces: pieces, into: OpenAIChat.Stream.self)
    }

    @Test(arguments: [1, 7, 200])
    func aStreamAssemblesTheAnswerHoweverTheBytesArrive(pieces: Int) throws {
        let stream = try Self.feed(Self.textStream, pieces: pieces)
        #expect(stream.done)
        let answer = try stream.finish()
        #expect(answer.text == "Hello there")
        #expect(answer.stopReason == "stop")
        #expect(answer.usage == TokenUsage(inputTokens: 9, outputTokens: 12, reasoningTokens: 4))
    }

    @Test func aStreamedToolCallArrivesInPieces() throws {
        let text = """
            data: {"choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\\"loc"}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ation\\":\\"Paris\\"}"}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_def","type":"function","function":{"name":"get_time","arguments":"{}"}}]},"finish_reason":null}]}

            data: {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

            data: [DONE]


            """
        let stream = try Self.feed(text, pieces: 5)
        let answer = try stream.finish()
        #expect(answer.stopReason == "tool_calls")
        #expect(
            answer.toolCalls == [
                ToolCall(id: "call_abc", name: "get_weather", arguments: ["location": "Paris"]),
                ToolCall(id: "call_def", name: "get_time", arguments: [:]),
            ])
        #expect(answer.usage == nil)
    }

    @Test func aStreamCutBeforeDoneIsNotDoneAndKeepsWhatArrived() throws {
        let cut = String(Self.textStream.prefix(while: { $0 != "!" }).split(separator: "\n\n").prefix(3).joined(separator: "\n\n")) + "\n\n"
        let stream = try Self.feed(cut, pieces: 2)
        #expect(!stream.done)
        #expect(stream.textSoFar == "Hello there")
    }

    @Test func errorAnswersMapToWhatTheEngineRetries() {
        let context = OpenAIChat.failure(
            status: 400,
            error: [
                "message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
                "type": "invalid_request_error", "code": "context_length_exceeded",
            ])
        #expect(context.kind == .contextLengthExceeded)
        #expect(!context.isRetryable)
        let limited = OpenAIChat.failure(
            status: 429, error: ["message": "Rate limit reached for requests", "type": "requests", "code": "rate_limit_exceeded"],
            retryAfter: 2)
        #expect(limited.kind == .rateLimited)
        #expect(limited.retryAfter == 2)
        #expect(OpenAIChat.failure(status: 401, error: ["message": "Incorrect API key provided"]).kind == .authentication)
        #expect(OpenAIChat.failure(status: 500, error: ["message": "The server had an error"]).kind == .serverError)
        #expect(OpenAIChat.failure(status: 503, error: ["message": "overloaded"]).kind == .overloaded)
        #expect(OpenAIChat.failure(status: 400, error: ["message": "bad"]).kind == .invalidRequest)
        // llama.cpp's wording.
        #expect(
            OpenAIChat.failure(status: 400, error: ["message": "the request exceeds the available context size, try increasing it"])
                .kind == .contextLengthExceeded)
    }
}
