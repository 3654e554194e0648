import Purser

extension Tier {
    /// A tier served by ``ScriptedProvider``, with round prices that make cost checks easy:
    /// $1 per million input tokens and $2 per million output tokens unless told otherwise.
    public static func scripted(
        _ id: String = "test-tier", provider: String = "scripted", depth: ReasoningDepth = .high,
        jurisdiction: Jurisdiction = .us, input: Int64 = 1_000_000, output: Int64 = 2_000_000,
        ttft: Double = 0.1, tokensPerSecond: Double = 1000, contextWindow: Int = 100_000
    ) -> Tier {
        Tier(
            id: id, provider: provider, model: id,
            pricing: Pricing(inputPerMillion: Money(micros: input), outputPerMillion: Money(micros: output)),
            latency: LatencyModel(
                timeToFirstTokenP50: ttft, timeToFirstTokenP95: ttft, outputTokensPerSecond: tokensPerSecond),
            reasoningDepth: depth, contextWindow: contextWindow, maxOutputTokens: 32_000, jurisdiction: jurisdiction)
    }
}
