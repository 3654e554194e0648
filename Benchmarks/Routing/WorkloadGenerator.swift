import Purser

/// Generates a mixed workload of model calls, deterministically from a seed.
///
/// The mix was fixed before any result was seen and is not tuned to the targets:
///
/// | | interactive (30%) | standard (50%) | batch (20%) |
/// |---|---|---|---|
/// | reasoning none/low/medium/high | 65/25/10/0 % | 35/30/25/10 % | 25/25/30/20 % |
/// | input tokens, log-normal median (σ 1.1, clamped 200-50,000) | 800 | 2,500 | 4,000 |
/// | visible output bound | 128-512 | 512-4,096 | 1,024-8,192 |
///
/// Everywhere: 10% of steps may run only in the EU, 6% in the UK or the EU, 4% only in the
/// UK; 25% need JSON answers, 15% tools, 5% both. The output bound adds a reasoning budget
/// by depth (1k / 4k / 16k). The estimator's expected visible output is 20-60% of its bound;
/// expected reasoning is typical for the depth (300 / 1,200 / 4,000 tokens, a quarter of that
/// for interactive steps, which run at low effort) times a log-normal factor (σ 0.4). The call
/// then really produces the expected amounts times log-normal noise (σ 0.35 visible, 0.5
/// reasoning), within the bounds: the estimate is a median, not a promise.
struct WorkloadGenerator {
    var seed: UInt64

    func steps(count: Int) -> [WorkloadStep] {
        var random = SplitMix64(seed: seed, stream: 1, 0)
        return (0..<count).map { _ in step(&random) }
    }

    private enum LatencyClass { case interactive, standard, batch }

    private func step(_ random: inout SplitMix64) -> WorkloadStep {
        let latencyClass = random.weighted([
            (LatencyClass.interactive, 0.30), (.standard, 0.50), (.batch, 0.20),
        ])
        let depthWeights: [Double] =
            switch latencyClass {
            case .interactive: [65, 25, 10, 0]
            case .standard: [35, 30, 25, 10]
            case .batch: [25, 25, 30, 20]
            }
        let depth = random.weighted(Array(zip(ReasoningDepth.allCases, depthWeights)))
        let jurisdictions = random.weighted([
            (Set<Jurisdiction>?.none, 0.80), ([.eu], 0.10), ([.uk, .eu], 0.06), ([.uk], 0.04),
        ])
        let capabilities = random.weighted([
            (Set<Capability>(), 0.55), ([.json], 0.25), ([.tools], 0.15), ([.tools, .json], 0.05),
        ])
        let (latency, inputMedian, visibleBounds): (LatencyNeed, Double, [Int]) =
            switch latencyClass {
            case .interactive: (.interactive, 800, [128, 256, 512])
            case .standard: (.standard, 2_500, [512, 1_024, 2_048, 4_096])
            case .batch: (.batch, 4_000, [1_024, 2_048, 4_096, 8_192])
            }
        let inputTokens = Int(min(max(random.logNormal(median: inputMedian, sigma: 1.1), 200), 50_000))
        let visibleBound = random.pick(visibleBounds)
        let (reasoningBudget, typicalReasoning): (Int, Double) =
            switch depth {
            case .none: (0, 0)
            case .low: (1_024, 300)
            case .medium: (4_096, 1_200)
            case .high: (16_384, 4_000)
            }
        let effort = latencyClass == .interactive ? 0.25 : 1
        let expectedVisible = max(1, Int(Double(visibleBound) * random.uniform(0.2, 0.6)))
        let expectedReasoning = min(
            reasoningBudget, Int(typicalReasoning * effort * random.logNormal(median: 1, sigma: 0.4)))
        let output = OutputDistribution(
            expectedVisible: expectedVisible, expectedReasoning: expectedReasoning, visibleBound: visibleBound,
            reasoningBudget: reasoningBudget)
        let actual = output.draw(&random)
        let request = RouteRequest(
            needs: StepNeeds(latency: latency, reasoning: depth, capabilities: capabilities, jurisdictions: jurisdictions),
            inputTokens: inputTokens, maxOutputTokens: visibleBound + reasoningBudget,
            expectedOutputTokens: expectedVisible + expectedReasoning,
            p95OutputTokens: output.p95Tokens)
        return WorkloadStep(
            request: request, output: output, actualVisibleTokens: actual.visible, actualReasoningTokens: actual.reasoning)
    }
}
