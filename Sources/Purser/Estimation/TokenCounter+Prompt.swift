extension TokenCounter {
    /// What a prompt costs: every message (with a few tokens of framing each, and the tool
    /// calls an assistant made) and every tool definition offered. The engine routes and
    /// reserves on this count, the simulator reports it as usage and the estimator predicts it,
    /// so all three must count the same way.
    public func promptTokens(messages: [ChatMessage], tools: [ToolDefinition]) -> Int {
        var tokens = 0
        for message in messages {
            tokens += count(message.content) + 4
            for call in message.toolCalls { tokens += count(call.name + call.arguments.compactJSON) + 3 }
        }
        for tool in tools { tokens += definitionTokens(tool) }
        return tokens
    }

    /// What offering one tool costs in the prompt.
    public func definitionTokens(_ tool: ToolDefinition) -> Int {
        count(tool.parameters.jsonValue.compactJSON + tool.description)
    }
}
