import Purser

/// OpenAI's chat completions API, as OpenAI, vLLM, llama.cpp's server and Ollama speak it:
/// request bodies, answers, and the stream's chunks.
enum OpenAIChat: WireProtocol {
    static let path = "/chat/completions"

    static func headers(apiKey: String?) -> [(String, String)] {
        apiKey.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    /// The request body for `request` on `tier`.
    static func body(for request: ModelRequest, tier: Tier, settings: ProviderSettings) -> JSONValue {
        var body: [String: JSONValue] = [
            "model": .string(tier.model),
            "messages": .array(request.messages.map(message)),
            settings.maxTokensField: .number(Double(request.maxOutputTokens)),
        ]
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    [
                        "type": "function",
                        "function": [
                            "name": .string(tool.name), "description": .string(tool.description),
                            "parameters": tool.parameters.jsonValue,
                        ],
                    ]
                })
        }
        if let schema = request.outputSchema {
            switch settings.jsonMode {
            case .jsonSchema:
                body["response_format"] = [
                    "type": "json_schema", "json_schema": ["name": "output", "schema": schema.jsonValue],
                ]
            case .jsonObject:
                body["response_format"] = ["type": "json_object", "schema": schema.jsonValue]
            }
        }
        if tier.reasoningDepth > .none, request.reasoningEffort > .none {
            body["reasoning_effort"] = .string(request.reasoningEffort.rawValue)
        }
        if settings.stream {
            body["stream"] = true
            // Without this the stream carries no usage, and the call could only be estimated.
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    static func message(_ message: ChatMessage) -> JSONValue {
        var fields: [String: JSONValue] = ["role": .string(message.role.rawValue)]
        switch message.role {
        case .assistant where !message.toolCalls.isEmpty:
            fields["content"] = message.content.isEmpty ? .null : .string(message.content)
            fields["tool_calls"] = .array(
                message.toolCalls.map { call in
                    [
                        "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments.compactJSON)],
                    ]
                })
        case .tool:
            fields["content"] = .string(message.content)
            fields["tool_call_id"] = .string(message.toolCallID ?? "")
        default:
            fields["content"] = .string(message.content)
        }
        return .object(fields)
    }

    /// A whole (non-streamed) answer.
    static func answer(from json: JSONValue) throws(ProviderError) -> ProviderAnswer {
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw ProviderError(.malformedResponse, "the answer has no choices[0].message")
        }
        var answer = ProviderAnswer()
        answer.text = message["content"]?.stringValue ?? ""
        answer.toolCalls = try (message["tool_calls"]?.arrayValue ?? []).map { call throws(ProviderError) in
            guard let id = call["id"]?.stringValue, let function = call["function"],
                let name = function["name"]?.stringValue
            else { throw ProviderError(.malformedResponse, "a tool call has no id or function name") }
            return ToolCall(id: id, name: name, arguments: try arguments(function["arguments"]?.stringValue ?? "", of: name))
        }
        answer.stopReason = choice["finish_reason"]?.stringValue
        answer.usage = try usage(from: json["usage"])
        return answer
    }

    /// `usage` as OpenAI reports it: cached prompt tokens and reasoning tokens are parts of the
    /// prompt and completion counts, as in ``TokenUsage``.
    static func usage(from json: JSONValue?) throws(ProviderError) -> TokenUsage? {
        guard let json, let input = try count(json["prompt_tokens"], "usage.prompt_tokens"),
            let output = try count(json["completion_tokens"], "usage.completion_tokens")
        else { return nil }
        return TokenUsage(
            inputTokens: input, outputTokens: output,
            reasoningTokens: try count(json["completion_tokens_details"]?["reasoning_tokens"], "reasoning_tokens") ?? 0,
            cachedInputTokens: try count(json["prompt_tokens_details"]?["cached_tokens"], "cached_tokens") ?? 0)
    }

    /// A tool call's arguments, sent as a JSON text inside the JSON answer.
    static func arguments(_ text: String, of tool: String) throws(ProviderError) -> JSONValue {
        if text.isEmpty { return [:] }
        do { return try JSONValue(parsing: text) } catch {
            throw ProviderError(.malformedResponse, "the arguments of the call to \(tool) are not JSON: \(error)")
        }
    }

    /// Assembles a streamed answer chunk by chunk (`data: {...}` events, then `data: [DONE]`).
    struct Stream: StreamAssembler {
        private(set) var answer = ProviderAnswer()
        private(set) var done = false
        /// Tool calls by their index in the stream: id and name come first, arguments in pieces.
        private var calls: [Int: (id: String, name: String, arguments: String)] = [:]

        var hasContent: Bool { !answer.text.isEmpty || !calls.isEmpty }

        /// OpenAI reports the prompt's tokens only with the rest of the usage, at the end.
        var reportedInputTokens: TokenUsage? { nil }

        mutating func feed(_ event: ServerSentEvent) throws(ProviderError) {
            if event.data == "[DONE]" {
                done = true
                return
            }
            let chunk: JSONValue
            do { chunk = try JSONValue(parsing: event.data) } catch {
                throw ProviderError(.malformedResponse, "a stream chunk is not JSON: \(error)")
            }
            if let error = chunk["error"] {
                // Some servers report a failure mid-stream as a chunk.
                throw OpenAIChat.failure(status: 500, error: error)
            }
            if let usage = try OpenAIChat.usage(from: chunk["usage"]) { answer.usage = usage }
            guard let choice = chunk["choices"]?.arrayValue?.first else { return }
            if let reason = choice["finish_reason"]?.stringValue { answer.stopReason = reason }
            guard let delta = choice["delta"] else { return }
            if let text = delta["content"]?.stringValue { answer.text += text }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = try count(call["index"], "tool_calls[].index") ?? 0
                var entry = calls[index] ?? ("", "", "")
                if let id = call["id"]?.stringValue { entry.id = id }
                if let name = call["function"]?["name"]?.stringValue { entry.name += name }
                if let piece = call["function"]?["arguments"]?.stringValue { entry.arguments += piece }
                calls[index] = entry
            }
        }

        func finish() throws(ProviderError) -> ProviderAnswer {
            var answer = answer
            answer.toolCalls = try calls.keys.sorted().map { index throws(ProviderError) in
                let call = calls[index]!
                return ToolCall(id: call.id, name: call.name, arguments: try OpenAIChat.arguments(call.arguments, of: call.name))
            }
            return answer
        }

        var textSoFar: String { answer.text + calls.values.map { $0.name + $0.arguments }.joined() }
    }

    static func failure(status: Int, body: String, retryAfter: Double?) -> ProviderError {
        let error = (try? JSONValue(parsing: body))?["error"] ?? (body.isEmpty ? nil : .string(body))
        return failure(status: status, error: error, retryAfter: retryAfter)
    }

    /// An error answer (`{"error": {"message", "type", "code"}}`) as a ``ProviderError``.
    static func failure(status: Int, error: JSONValue?, retryAfter: Double? = nil) -> ProviderError {
        let message = error?["message"]?.stringValue ?? error?.stringValue ?? "HTTP \(status)"
        let code = error?["code"]?.stringValue ?? error?["type"]?.stringValue ?? ""
        let lowered = message.lowercased()
        if code == "context_length_exceeded" || lowered.contains("context length") || lowered.contains("context size")
            || lowered.contains("maximum context") || lowered.contains("too many tokens")
        {
            return ProviderError(.contextLengthExceeded, "HTTP \(status): \(message)")
        }
        return HTTPFailure.error(status: status, message: message, retryAfter: retryAfter)
    }
}
