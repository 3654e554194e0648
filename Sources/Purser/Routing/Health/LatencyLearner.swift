/// Learns a tier's latency model from observed calls: time to first token (median and p95)
/// and output throughput (median), each over a rolling window.
///
/// Until `minimumSamples` calls were seen the catalog's model stands: a handful of calls
/// says little about a p95.
public struct LatencyLearner: Sendable, Hashable {
    public static let minimumSamples = 8
    /// Calls shorter than this say more about overhead than about throughput.
    static let minimumOutputForThroughput = 16

    private var timeToFirstToken = RollingQuantiles()
    private var throughput = RollingQuantiles()

    public init() {}

    public var samples: Int { timeToFirstToken.count }

    /// Adds one successful call. When the provider did not report its time to first token,
    /// it is what the call's duration leaves after the output at the throughput known so far.
    public mutating func observe(
        timeToFirstToken reported: Double?, outputTokens: Int, seconds: Double, prior: LatencyModel
    ) {
        guard seconds.isFinite, seconds >= 0 else { return }
        // A reported first token is the provider's own clock: trust it over a shorter reading of ours.
        let seconds = max(seconds, reported ?? 0)
        let rate = throughput.quantile(0.5) ?? prior.outputTokensPerSecond
        let ttft = min(max(reported ?? (seconds - Double(outputTokens) / max(rate, 0.001)), 0), seconds)
        timeToFirstToken.add(ttft)
        let generating = seconds - ttft
        if outputTokens >= Self.minimumOutputForThroughput, generating > 0.001 {
            throughput.add(Double(outputTokens) / generating)
        }
    }

    /// The learned model, or `nil` while there are too few observations.
    public func model(prior: LatencyModel) -> LatencyModel? {
        guard samples >= Self.minimumSamples,
            let p50 = timeToFirstToken.quantile(0.5), let p95 = timeToFirstToken.quantile(0.95)
        else { return nil }
        let rate =
            throughput.count >= Self.minimumSamples
            ? (throughput.quantile(0.5) ?? prior.outputTokensPerSecond) : prior.outputTokensPerSecond
        return LatencyModel(timeToFirstTokenP50: p50, timeToFirstTokenP95: p95, outputTokensPerSecond: rate)
    }
}
