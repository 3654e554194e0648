/// What a model step is expected to produce before any history exists: the stated prior
/// the router and latency checks use. The estimator replaces it with learned quantiles.
public enum OutputPrior {
    /// Expected visible output tokens: a quarter-page answer, never more than the bound.
    public static func visibleTokens(maxOutputTokens: Int) -> Int {
        max(0, min(maxOutputTokens, 256))
    }

    /// Expected hidden reasoning tokens for a depth, never more than what the bound leaves.
    public static func reasoningTokens(depth: ReasoningDepth, maxOutputTokens: Int) -> Int {
        let typical =
            switch depth {
            case .none: 0
            case .low: 128
            case .medium: 512
            case .high: 2048
            }
        return max(0, min(typical, maxOutputTokens - visibleTokens(maxOutputTokens: maxOutputTokens)))
    }
}
