/// The simulator's tiers: the embedded default catalog, so Purser runs with no configuration.
///
/// Each is priced like a real public model of 2025-26 (list prices per million tokens, from
/// the LiteLLM price map) and has latency typical of its class. They are stand-ins: no real
/// model is called. The two batch tiers are priced like those providers' batch APIs (half
/// price); real batch APIs answer within hours, the simulator's in seconds so that demos
/// finish. The router never relies on that speed: a batch tier serves only batch steps.
public enum SimulatorCatalog {
    public static let providerName = "simulator"

    public static let tiers: [Tier] = [
        // Priced like gpt-4.1-nano: $0.10 in, $0.025 cached, $0.40 out.
        Tier(
            id: "sim-nano", provider: providerName, model: "sim-nano",
            pricing: price(100_000, 25_000, 400_000),
            latency: LatencyModel(timeToFirstTokenP50: 0.25, timeToFirstTokenP95: 0.6, outputTokensPerSecond: 200),
            reasoningDepth: .none, contextWindow: 128_000, maxOutputTokens: 16_384, jurisdiction: .us),
        // Priced like mistral-small: $0.15 in, $0.015 cached, $0.60 out; hosted in the EU.
        Tier(
            id: "sim-small-eu", provider: providerName, model: "sim-small-eu",
            pricing: price(150_000, 15_000, 600_000),
            latency: LatencyModel(timeToFirstTokenP50: 0.3, timeToFirstTokenP95: 0.8, outputTokensPerSecond: 150),
            reasoningDepth: .low, contextWindow: 128_000, maxOutputTokens: 16_384, jurisdiction: .eu),
        // mistral-small through a batch API: half price.
        Tier(
            id: "sim-small-eu-batch", provider: providerName, model: "sim-small-eu",
            pricing: price(75_000, 7_500, 300_000),
            latency: LatencyModel(timeToFirstTokenP50: 4, timeToFirstTokenP95: 10, outputTokensPerSecond: 150),
            reasoningDepth: .low, contextWindow: 128_000, maxOutputTokens: 16_384, jurisdiction: .eu, batch: true),
        // Priced like gpt-5-mini: $0.25 in, $0.025 cached, $2.00 out.
        Tier(
            id: "sim-mini", provider: providerName, model: "sim-mini",
            pricing: price(250_000, 25_000, 2_000_000),
            latency: LatencyModel(timeToFirstTokenP50: 0.5, timeToFirstTokenP95: 1.2, outputTokensPerSecond: 120),
            reasoningDepth: .medium, contextWindow: 272_000, maxOutputTokens: 64_000, jurisdiction: .us),
        // gpt-5-mini through a batch API: half price.
        Tier(
            id: "sim-mini-batch", provider: providerName, model: "sim-mini",
            pricing: price(125_000, 12_500, 1_000_000),
            latency: LatencyModel(timeToFirstTokenP50: 5, timeToFirstTokenP95: 12, outputTokensPerSecond: 120),
            reasoningDepth: .medium, contextWindow: 272_000, maxOutputTokens: 64_000, jurisdiction: .us, batch: true),
        // Priced like claude-sonnet-4-5: $3.00 in, $0.30 cached, $15.00 out; hosted in the UK.
        Tier(
            id: "sim-large-uk", provider: providerName, model: "sim-large-uk",
            pricing: price(3_000_000, 300_000, 15_000_000),
            latency: LatencyModel(timeToFirstTokenP50: 1.0, timeToFirstTokenP95: 2.5, outputTokensPerSecond: 70),
            reasoningDepth: .high, contextWindow: 200_000, maxOutputTokens: 64_000, jurisdiction: .uk),
        // Priced like gpt-5: $1.25 in, $0.125 cached, $10.00 out.
        Tier(
            id: "sim-frontier", provider: providerName, model: "sim-frontier",
            pricing: price(1_250_000, 125_000, 10_000_000),
            latency: LatencyModel(timeToFirstTokenP50: 1.5, timeToFirstTokenP95: 4.0, outputTokensPerSecond: 60),
            reasoningDepth: .high, contextWindow: 272_000, maxOutputTokens: 128_000, jurisdiction: .us),
    ]

    /// Prices in micro-units per million tokens.
    private static func price(_ input: Int64, _ cached: Int64, _ output: Int64) -> Pricing {
        Pricing(
            inputPerMillion: Money(micros: input), cachedInputPerMillion: Money(micros: cached),
            outputPerMillion: Money(micros: output))
    }
}
