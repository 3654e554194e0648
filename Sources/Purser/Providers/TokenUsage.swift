/// Tokens a call used, as the provider reported them (or as Purser counted them).
///
/// `cachedInputTokens` (read from a prompt cache) and `cacheWriteInputTokens` (written to one,
/// which Anthropic bills above the input price) are parts of `inputTokens`, and
/// `reasoningTokens` a part of `outputTokens`, the way OpenAI-compatible APIs report usage.
public struct TokenUsage: Sendable, Hashable, Codable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var reasoningTokens: Int
    public var cachedInputTokens: Int
    public var cacheWriteInputTokens: Int

    public init(
        inputTokens: Int = 0, outputTokens: Int = 0, reasoningTokens: Int = 0, cachedInputTokens: Int = 0,
        cacheWriteInputTokens: Int = 0
    ) {
        self.cacheWriteInputTokens = cacheWriteInputTokens
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.reasoningTokens = reasoningTokens
        self.cachedInputTokens = cachedInputTokens
    }

    public static let zero = TokenUsage()

    public var totalTokens: Int { inputTokens + outputTokens }

    public static func + (lhs: TokenUsage, rhs: TokenUsage) -> TokenUsage {
        TokenUsage(
            inputTokens: lhs.inputTokens + rhs.inputTokens,
            outputTokens: lhs.outputTokens + rhs.outputTokens,
            reasoningTokens: lhs.reasoningTokens + rhs.reasoningTokens,
            cachedInputTokens: lhs.cachedInputTokens + rhs.cachedInputTokens,
            cacheWriteInputTokens: lhs.cacheWriteInputTokens + rhs.cacheWriteInputTokens)
    }

    public static func += (lhs: inout TokenUsage, rhs: TokenUsage) { lhs = lhs + rhs }
}

extension TokenUsage {
    private enum CodingKeys: String, CodingKey {
        case inputTokens, outputTokens, reasoningTokens, cachedInputTokens, cacheWriteInputTokens
    }

    /// Records written before cache writes were counted read as having none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            inputTokens: try container.decode(Int.self, forKey: .inputTokens),
            outputTokens: try container.decode(Int.self, forKey: .outputTokens),
            reasoningTokens: try container.decode(Int.self, forKey: .reasoningTokens),
            cachedInputTokens: try container.decode(Int.self, forKey: .cachedInputTokens),
            cacheWriteInputTokens: try container.decodeIfPresent(Int.self, forKey: .cacheWriteInputTokens) ?? 0)
    }
}
