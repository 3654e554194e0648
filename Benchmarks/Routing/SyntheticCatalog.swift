import Purser

/// A catalog of any size for the decision-latency benchmark, generated from a seed so that
/// 10, 100 and 1,000 tiers look alike: prices spread over three orders of magnitude and rising
/// with depth, context windows from 32k to 1M, four jurisdictions, most tiers with both
/// capabilities, one in ten a batch tier, one in ten with a concurrency limit.
enum SyntheticCatalog {
    static func tiers(count: Int, seed: UInt64) -> [Tier] {
        var random = SplitMix64(seed: seed, stream: 2, count)
        return (0..<count).map { index in tier(index, &random) }
    }

    private static func tier(_ index: Int, _ random: inout SplitMix64) -> Tier {
        let depth = random.weighted(Array(zip(ReasoningDepth.allCases, [25.0, 30, 25, 20])))
        let outputRange: (Double, Double) =
            switch depth {
            case .none: (0.1, 1)
            case .low: (0.4, 4)
            case .medium: (2, 15)
            case .high: (4, 80)
            }
        let output = random.logUniform(outputRange.0, outputRange.1)
        let input = output * random.uniform(0.15, 0.4)
        let batch = random.chance(0.1)
        let discount = batch ? 0.5 : 1
        let pricing = Pricing(
            inputPerMillion: dollars(input * discount), cachedInputPerMillion: dollars(input * discount * 0.1),
            outputPerMillion: dollars(output * discount))
        let ttft = random.logUniform(0.15, depth >= .medium ? 3 : 1.2)
        let latency =
            batch
            ? LatencyModel(timeToFirstTokenP50: 3600, timeToFirstTokenP95: 43_200, outputTokensPerSecond: 100)
            : LatencyModel(
                timeToFirstTokenP50: ttft, timeToFirstTokenP95: ttft * random.uniform(1.8, 3.5),
                outputTokensPerSecond: random.logUniform(40, 400))
        let context = random.pick([32_768, 128_000, 200_000, 272_000, 1_048_576])
        let maxOutput = min(context, random.pick([4_096, 8_192, 16_384, 32_768, 65_536, 128_000]))
        let capabilities = random.weighted([
            (Set<Capability>([.tools, .json]), 0.75), ([.tools], 0.10), ([.json], 0.10), ([], 0.05),
        ])
        let jurisdiction = random.weighted([
            (Jurisdiction.us, 0.55), (.eu, 0.25), (.uk, 0.12), (.local, 0.08),
        ])
        let limit: Int? = random.chance(0.1) ? Int(random.uniform(4, 64)) : nil
        let id = "syn-\(index)-\(depth.rawValue)\(batch ? "-batch" : "")"
        return Tier(
            id: id, provider: "synthetic", model: id, pricing: pricing, latency: latency, reasoningDepth: depth,
            contextWindow: context, maxOutputTokens: maxOutput, capabilities: capabilities,
            jurisdiction: jurisdiction, concurrencyLimit: limit, batch: batch)
    }

    /// Dollars per million tokens, rounded to the micro-unit (catalog prices are exact from here on).
    private static func dollars(_ value: Double) -> Money {
        Money(micros: Int64((value * 1e6).rounded()))
    }
}
