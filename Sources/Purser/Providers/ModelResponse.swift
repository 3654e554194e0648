/// What a model answered, and what it cost in tokens and time.
public struct ModelResponse: Sendable, Hashable {
    public var text: String
    public var toolCalls: [ToolCall]
    public var usage: TokenUsage
    /// True when the provider reported no usage and Purser counted the tokens itself.
    public var usageIsEstimated: Bool
    /// Seconds until the first token arrived.
    public var timeToFirstToken: Double?

    public init(
        text: String, toolCalls: [ToolCall] = [], usage: TokenUsage, usageIsEstimated: Bool = false,
        timeToFirstToken: Double? = nil
    ) {
        self.text = text
        self.toolCalls = toolCalls
        self.usage = usage
        self.usageIsEstimated = usageIsEstimated
        self.timeToFirstToken = timeToFirstToken
    }
}
