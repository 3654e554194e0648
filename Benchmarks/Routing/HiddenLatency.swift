import Foundation
import Purser

/// How fast each tier really is: hidden from the router, which starts from the catalog's
/// guesses and must learn the truth from the calls it makes.
///
/// Each tier's true median time to first token is its catalog p50 times a log-normal factor
/// (σ 0.5: a 5-95% range of 0.44-2.3×), and its true throughput the catalog's times another
/// (σ 0.35: 0.56-1.8×). Every call then draws its own time to first token (log-normal around
/// the true median, σ 0.35) and throughput (σ 0.15), and one call in 300 stalls for 10× as
/// long. A call's timing depends only on (seed, step, tier, output), so the router and the
/// hindsight oracle see the very same call.
struct HiddenLatency: Sendable {
    struct TrueModel: Sendable {
        var timeToFirstTokenMedian: Double
        var outputTokensPerSecond: Double
    }

    /// One call's timing.
    struct Call: Sendable {
        var timeToFirstToken: Double
        var seconds: Double
        var stalled: Bool
    }

    static let callTTFTSigma = 0.35
    static let callThroughputSigma = 0.15
    static let stallRate = 1.0 / 300
    static let stallFactor = 10.0

    let models: [TrueModel]
    let seed: UInt64

    init(tiers: [Tier], seed: UInt64) {
        self.seed = seed
        models = tiers.indices.map { index in
            var random = SplitMix64(seed: seed, stream: 3, index)
            let prior = tiers[index].latency
            return TrueModel(
                timeToFirstTokenMedian: prior.timeToFirstTokenP50 * random.logNormal(median: 1, sigma: 0.5),
                outputTokensPerSecond: prior.outputTokensPerSecond * random.logNormal(median: 1, sigma: 0.35))
        }
    }

    /// The timing tier `tier` would have had on step `step`, producing `outputTokens`.
    func call(step: Int, tier: Int, outputTokens: Int) -> Call {
        var random = SplitMix64(seed: seed, stream: 4, step, tier)
        return sample(tier: tier, outputTokens: outputTokens, &random)
    }

    /// The true 95th-percentile duration of `workload` on `tier`, over its output's spread and
    /// the tier's per-call noise (by simulation): what a router that knew each tier's true
    /// latency distribution would check against the need.
    func trueP95(step: Int, _ workload: WorkloadStep, tier: Int, draws: Int = 200) -> Double {
        var random = SplitMix64(seed: seed, stream: 6, step, tier)
        var seconds = (0..<draws).map { _ in
            let output = workload.output.draw(&random)
            return sample(tier: tier, outputTokens: output.visible + output.reasoning, &random).seconds
        }
        seconds.sort()
        return seconds[Int((0.95 * Double(draws)).rounded(.up)) - 1]
    }

    private func sample(tier: Int, outputTokens: Int, _ random: inout SplitMix64) -> Call {
        let model = models[tier]
        var ttft = random.logNormal(median: model.timeToFirstTokenMedian, sigma: Self.callTTFTSigma)
        var seconds =
            ttft + Double(outputTokens) / random.logNormal(median: model.outputTokensPerSecond, sigma: Self.callThroughputSigma)
        let stalled = random.chance(Self.stallRate)
        if stalled {
            ttft *= Self.stallFactor
            seconds *= Self.stallFactor
        }
        return Call(timeToFirstToken: ttft, seconds: seconds, stalled: stalled)
    }
}
