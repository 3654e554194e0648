import Purser

/// Anthropic's Messages API: request bodies, answers, and the stream's events.
enum AnthropicMessages: WireProtocol {
    /// The API version every request names (`anthropic-version`).
    static let version = "2023-06-01"
    static let path = "/messages"

    static func headers(apiKey: String?) -> [(String, String)] {
        (apiKey.map { [("x-api-key", $0)] } ?? []) + [("anthropic-version", version)]
    }

    /// The request body for `request` on `tier`.
    static func body(for request: ModelRequest, tier: Tier, settings: ProviderSettings) -> JSONValue {
        var system = request.messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        if let schema = request.outputSchema {
            // The Messages API has no JSON mode: the schema goes into the instructions, and the
            // step's validator checks the answer as for any tier.
            if !system.isEmpty { system += "\n\n" }
            system += "Answer with one JSON value only, no prose, matching this JSON schema: \(schema.jsonValue.compactJSON)"
        }
        var body: [String: JSONValue] = [
            "model": .string(tier.model),
            "max_tokens": .number(Double(request.maxOutputTokens)),
            "messages": .array(messages(request.messages)),
        ]
        if !system.isEmpty { body["system"] = .string(system) }
        if !request.tools.isEmpty {
            body["tools"] = .array(
                request.tools.map { tool in
                    [
                        "name": .string(tool.name), "description": .string(tool.description),
                        "input_schema": tool.parameters.jsonValue,
                    ]
                })
        }
        if tier.reasoningDepth > .none, let budget = thinkingBudget(request.reasoningEffort, maxTokens: request.maxOutputTokens) {
            body["thinking"] = ["type": "enabled", "budget_tokens": .number(Double(budget))]
        }
        if settings.stream { body["stream"] = true }
        return .object(body)
    }

    /// Thinking tokens for a reasoning depth, within the call's output limit (thinking counts
    /// toward `max_tokens`, and the API takes no budget below 1,024); `nil` for no thinking.
    static func thinkingBudget(_ depth: ReasoningDepth, maxTokens: Int) -> Int? {
        let wanted: Int
        switch depth {
        case .none: return nil
        case .low: wanted = 1024
        case .medium: wanted = 4096
        case .high: wanted = 16_384
        }
        // Leave at least a quarter of the limit for the answer itself.
        let budget = min(wanted, maxTokens - max(256, maxTokens / 4))
        return budget >= 1024 ? budget : nil
    }

    /// Chat messages as the API takes them: system text apart, tool calls and results as content
    /// blocks, and consecutive tool results in one user turn.
    static func messages(_ messages: [ChatMessage]) -> [JSONValue] {
        var out: [JSONValue] = []
        var pendingResults: [JSONValue] = []
        func flushResults() {
            if !pendingResults.isEmpty {
                out.append(["role": "user", "content": .array(pendingResults)])
                pendingResults = []
            }
        }
        for message in messages {
            switch message.role {
            case .system:
                continue
            case .tool:
                pendingResults.append([
                    "type": "tool_result", "tool_use_id": .string(message.toolCallID ?? ""),
                    "content": .string(message.content),
                ])
            case .assistant:
                flushResults()
                var blocks: [JSONValue] = []
                if !message.content.isEmpty { blocks.append(["type": "text", "text": .string(message.content)]) }
                for call in message.toolCalls {
                    blocks.append(["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": call.arguments])
                }
                out.append(["role": "assistant", "content": .array(blocks)])
            case .user:
                flushResults()
                out.append(["role": "user", "content": .string(message.content)])
            }
        }
        flushResults()
        return out
    }

    /// A whole (non-streamed) answer.
    static func answer(from json: JSONValue) throws(ProviderError) -> ProviderAnswer {
        guard let blocks = json["content"]?.arrayValue else {
            throw ProviderError(.malformedResponse, "the answer has no content blocks")
        }
        var answer = ProviderAnswer()
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text": answer.text += block["text"]?.stringValue ?? ""
            case "tool_use":
                guard let id = block["id"]?.stringValue, let name = block["name"]?.stringValue else {
                    throw ProviderError(.malformedResponse, "a tool_use block has no id or name")
                }
                answer.toolCalls.append(ToolCall(id: id, name: name, arguments: block["input"] ?? [:]))
            default: continue  // thinking and redacted thinking: billed, not part of the answer
            }
        }
        answer.stopReason = json["stop_reason"]?.stringValue
        answer.usage = try usage(from: json["usage"])
        return answer
    }

    /// `usage` as Anthropic reports it. Its `input_tokens` excludes cache reads and writes;
    /// ``TokenUsage`` counts them inside `inputTokens`. Thinking is inside `output_tokens`, not
    /// reported apart. `nil` without `input_tokens`; a missing `output_tokens` is 0.
    static func usage(from json: JSONValue?) throws(ProviderError) -> TokenUsage? {
        guard let json, let input = try count(json["input_tokens"], "usage.input_tokens") else { return nil }
        let reads = try count(json["cache_read_input_tokens"], "usage.cache_read_input_tokens") ?? 0
        let writes = try count(json["cache_creation_input_tokens"], "usage.cache_creation_input_tokens") ?? 0
        return TokenUsage(
            inputTokens: input + reads + writes, outputTokens: try count(json["output_tokens"], "usage.output_tokens") ?? 0,
            cachedInputTokens: reads, cacheWriteInputTokens: writes)
    }

    /// Assembles a streamed answer from its events: `message_start` (input usage),
    /// `content_block_start`/`_delta`/`_stop`, `message_delta` (stop reason, output usage),
    /// `message_stop`; `error` events fail the call.
    struct Stream: StreamAssembler {
        private(set) var answer = ProviderAnswer()
        private(set) var done = false
        private var blocks: [Int: (type: String, id: String, name: String, text: String)] = [:]
        /// As `message_start` reported it; `message_delta` updates the output count.
        private var usage: TokenUsage?

        var hasContent: Bool { blocks.values.contains { !$0.text.isEmpty || $0.type == "tool_use" } }

        mutating func feed(_ event: ServerSentEvent) throws(ProviderError) {
            let json: JSONValue
            do { json = try JSONValue(parsing: event.data) } catch {
                throw ProviderError(.malformedResponse, "a stream event is not JSON: \(error)")
            }
            switch json["type"]?.stringValue ?? event.event {
            case "message_start":
                usage = try AnthropicMessages.usage(from: json["message"]?["usage"])
            case "content_block_start":
                let index = try count(json["index"], "index") ?? 0
                let block = json["content_block"]
                blocks[index] = (
                    block?["type"]?.stringValue ?? "text", block?["id"]?.stringValue ?? "",
                    block?["name"]?.stringValue ?? "", block?["text"]?.stringValue ?? ""
                )
            case "content_block_delta":
                let index = try count(json["index"], "index") ?? 0
                guard var block = blocks[index] else {
                    throw ProviderError(.malformedResponse, "a delta for content block \(index), which never started")
                }
                let delta = json["delta"]
                block.text += delta?["text"]?.stringValue ?? delta?["partial_json"]?.stringValue
                    ?? delta?["thinking"]?.stringValue ?? ""
                blocks[index] = block
            case "message_delta":
                if let reason = json["delta"]?["stop_reason"]?.stringValue { answer.stopReason = reason }
                if let tokens = try count(json["usage"]?["output_tokens"], "usage.output_tokens") {
                    usage?.outputTokens = tokens
                }
            case "message_stop":
                done = true
            case "error":
                let error = json["error"]
                let kind = error?["type"]?.stringValue
                let message = error?["message"]?.stringValue ?? "error event"
                throw AnthropicMessages.failure(status: kind == "overloaded_error" ? 529 : 500, type: kind, message: message)
            default:
                return  // ping, content_block_stop, and event types added later
            }
        }

        func finish() throws(ProviderError) -> ProviderAnswer {
            var answer = answer
            for index in blocks.keys.sorted() {
                let block = blocks[index]!
                switch block.type {
                case "text": answer.text += block.text
                case "tool_use":
                    let input: JSONValue
                    do { input = block.text.isEmpty ? [:] : try JSONValue(parsing: block.text) } catch {
                        throw ProviderError(.malformedResponse, "the input of the call to \(block.name) is not JSON: \(error)")
                    }
                    answer.toolCalls.append(ToolCall(id: block.id, name: block.name, arguments: input))
                default: continue
                }
            }
            answer.usage = usage
            return answer
        }

        /// Thinking included.
        var textSoFar: String { blocks.keys.sorted().map { blocks[$0]!.name + blocks[$0]!.text }.joined() }

        /// As `message_start` reported them.
        var reportedInputTokens: TokenUsage? {
            guard var usage else { return nil }
            usage.outputTokens = 0
            return usage
        }
    }

    static func failure(status: Int, body: String, retryAfter: Double?) -> ProviderError {
        let error = (try? JSONValue(parsing: body))?["error"]
        return failure(
            status: status, type: error?["type"]?.stringValue,
            message: error?["message"]?.stringValue ?? (body.isEmpty ? "HTTP \(status)" : body), retryAfter: retryAfter)
    }

    /// An error answer (`{"type": "error", "error": {"type", "message"}}`) as a ``ProviderError``.
    static func failure(status: Int, type: String?, message: String, retryAfter: Double? = nil) -> ProviderError {
        let lowered = message.lowercased()
        if lowered.contains("prompt is too long") || lowered.contains("context window") || lowered.contains("too many tokens") {
            return ProviderError(.contextLengthExceeded, "HTTP \(status): \(message)")
        }
        switch type {
        case "overloaded_error": return ProviderError(.overloaded, "HTTP \(status): \(message)", retryAfter: retryAfter)
        case "rate_limit_error": return ProviderError(.rateLimited, "HTTP \(status): \(message)", retryAfter: retryAfter)
        case "authentication_error", "permission_error": return ProviderError(.authentication, "HTTP \(status): \(message)")
        case "api_error": return ProviderError(.serverError, "HTTP \(status): \(message)", retryAfter: retryAfter)
        default: return HTTPFailure.error(status: status, message: message, retryAfter: retryAfter)
        }
    }
}
