import Purser

/// How long one routing decision takes, for catalogs of 10, 100 and 1,000 tiers.
///
/// Each catalog comes with the conditions of a ``TierMonitor`` that has seen traffic: most
/// tiers have learned latencies (0-24 calls each, so some are still on their prior), a few
/// have open circuits and a few are at their concurrency limit. The requests are 1,024 steps
/// of the savings workload's mix (all latency classes, depths, jurisdictions, capabilities
/// and input sizes), decided round-robin. Every decision's result is folded into a checksum
/// that is printed, so the optimizer cannot drop the work.
struct DecisionLatencyBenchmark {
    struct Result: Sendable {
        var tiers: Int
        var decisionsPerRepetition: Int
        /// Nanoseconds per decision, one per repetition.
        var samples: [Double]
        /// The same with every decision's explanation rendered (what reading `rejected` costs).
        var renderedSamples: [Double]
        /// Decisions per repetition that found no tier (and threw ``NoTierError``).
        var noTier: Int
        /// Nanoseconds to take one ``TierMonitor/conditions()`` snapshot (median).
        var conditionsNanoseconds: Double
        var learnedTiers: Int
        var unhealthyTiers: Int
        var saturatedTiers: Int
        var checksum: Int

        var median: Double { samples.sorted()[samples.count / 2] }
        var renderedMedian: Double { renderedSamples.sorted()[renderedSamples.count / 2] }
        var best: Double { samples.min() ?? 0 }
    }

    var tierCounts = [10, 100, 1_000]
    var iterations: Int
    var seed: UInt64

    func run() -> [Result] {
        let requests = WorkloadGenerator(seed: seed).steps(count: 1_024).map(\.request)
        return tierCounts.map { measure(tierCount: $0, requests: requests) }
    }

    private func measure(tierCount: Int, requests: [RouteRequest]) -> Result {
        let tiers = SyntheticCatalog.tiers(count: tierCount, seed: seed)
        let monitor = TierMonitor(tiers: tiers, clock: VirtualClock())
        Self.teach(monitor, seed: seed)
        let conditions = monitor.conditions()
        let router = Router(tiers: tiers)
        // About 0.1-0.3 s per repetition whatever the catalog size.
        let decisions = max(2_000, min(200_000, 2_000_000 / tierCount))
        let clock = ContinuousClock()
        var samples: [Double] = []
        var renderedSamples: [Double] = []
        var noTier = 0
        var checksum = 0
        for render in [false, true] {
            for repetition in 0...iterations {
                let start = clock.now
                let outcome = Self.decide(router, requests, conditions, count: decisions, render: render)
                let elapsed = clock.now - start
                checksum &+= outcome.checksum
                noTier = outcome.noTier
                // Repetition 0 warms caches and the allocator; it is not reported.
                guard repetition > 0 else { continue }
                let perDecision = Double(elapsed.nanoseconds) / Double(decisions)
                if render { renderedSamples.append(perDecision) } else { samples.append(perDecision) }
            }
        }
        let snapshots = max(50, 100_000 / tierCount)
        var snapshotSamples: [Double] = []
        for _ in 0..<5 {
            let start = clock.now
            for _ in 0..<snapshots { checksum &+= monitor.conditions().entries.count }
            snapshotSamples.append(Double((clock.now - start).nanoseconds) / Double(snapshots))
        }
        return Result(
            tiers: tierCount, decisionsPerRepetition: decisions, samples: samples, renderedSamples: renderedSamples,
            noTier: noTier,
            conditionsNanoseconds: snapshotSamples.sorted()[snapshotSamples.count / 2],
            learnedTiers: conditions.entries.filter { $0.latency != nil }.count,
            unhealthyTiers: conditions.entries.filter { $0.circuit != .closed }.count,
            saturatedTiers: conditions.entries.filter(\.saturated).count, checksum: checksum)
    }

    /// `count` decisions, round-robin over `requests`. Not inlined, and its result is used, so
    /// the timed loop is exactly the routing work; with `render`, each decision's explanation
    /// (why every other tier lost) is also rendered, as reading `rejected` does.
    @inline(never)
    private static func decide(
        _ router: Router, _ requests: [RouteRequest], _ conditions: TierConditions, count: Int, render: Bool
    ) -> (noTier: Int, checksum: Int) {
        var noTier = 0
        var checksum = 0
        for index in 0..<count {
            do throws(NoTierError) {
                let route = try router.route(requests[index % requests.count], conditions: conditions)
                let losers = render ? route.decision.rejected.count : route.decision.rejectedCount
                checksum &+= route.index &+ losers &+ Int(route.decision.expectedCost.micros)
            } catch {
                noTier += 1
                checksum &+= error.rejections.count
            }
        }
        return (noTier, checksum)
    }

    /// Gives the monitor a history: successful calls on most tiers (timed near the catalog's
    /// latency), five straight failures on 3% (their circuits open), and every slot taken on
    /// a third of the tiers that have a concurrency limit.
    static func teach(_ monitor: TierMonitor, seed: UInt64) {
        var random = SplitMix64(seed: seed, stream: 5, monitor.tiers.count)
        for (index, tier) in monitor.tiers.enumerated() {
            for _ in 0..<Int(random.uniform(0, 25)) where monitor.tryAcquire(index) {
                let ttft = random.logNormal(median: tier.latency.timeToFirstTokenP50, sigma: 0.4)
                let output = Int(random.uniform(50, 800))
                let seconds = ttft + Double(output) / random.logNormal(median: tier.latency.outputTokensPerSecond, sigma: 0.2)
                monitor.release(index, outcome: .succeeded(timeToFirstToken: ttft, outputTokens: output, seconds: seconds))
            }
            if random.chance(0.03) {
                for _ in 0..<5 where monitor.tryAcquire(index) { monitor.release(index, outcome: .failed) }
            }
            if let limit = tier.concurrencyLimit, random.chance(1.0 / 3) {
                for _ in 0..<limit { _ = monitor.tryAcquire(index) }
            }
        }
    }
}

extension Duration {
    /// Whole nanoseconds (the benchmark's durations are far below the Int64 limit).
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
