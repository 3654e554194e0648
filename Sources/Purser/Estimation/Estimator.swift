/// Says what a run will cost before it starts: per step and in total, in tokens and money,
/// as expected, p50, p95 and worst case.
///
/// Input tokens come from the prompts rendered against the run's input, counted with the
/// engine's token counter, plus the estimated outputs of the earlier steps they quote. Output
/// and reasoning tokens, for-each counts, loop iterations and branch frequencies come from
/// ``LearnedHistory`` blended with a stated prior (see ``OutputPrior``): with n observations
/// history is drawn with probability n / (n + 3). A seeded Monte Carlo over the graph turns
/// these into a distribution under the tiers the router would choose; a separate pass with
/// every bound at its maximum gives the worst case.
public struct Estimator: Sendable {
    public var router: Router
    public var tokenCounter: any TokenCounter
    public var tools: ToolRegistry
    /// Monte Carlo samples; more is smoother and slower (500 takes about a millisecond for 50 steps).
    public var samples: Int
    public var seed: UInt64
    /// Whether a one-row plan's totals reuse its row's statistics, and a one-call plan is
    /// sampled by drawing its call alone instead of walking the plan; off only in the test that
    /// checks both agree with the general path.
    var takesOneStepShortcuts = true

    public static let defaultSeed: UInt64 = 0x5075_7273_6572_2026

    public init(
        router: Router, tokenCounter: any TokenCounter = ApproximateTokenCounter(),
        tools: ToolRegistry = ToolRegistry(), samples: Int = 500, seed: UInt64 = Estimator.defaultSeed
    ) {
        self.router = router
        self.tokenCounter = tokenCounter
        self.tools = tools
        self.samples = max(samples, 1)
        self.seed = seed
    }

    public func estimate(_ graph: WorkflowGraph, input: JSONValue, history: LearnedHistory = LearnedHistory())
        throws(PurserError) -> RunEstimate
    {
        var builder = EstimationPlanBuilder(
            workflow: graph.name, router: router, counter: tokenCounter, tools: tools, history: history)
        let context = EstimationPlanBuilder.Context(input: .known(input), jurisdictions: graph.workflow.jurisdictions)
        let (root, _, _) = try builder.sequence(graph.workflow.steps, context)
        let plan = EstimationPlan(root: root, rows: builder.rows, slotCount: builder.slotCount)
        let rowCount = plan.rows.count

        var sampled = EstimationSamples(rows: rowCount, samples: samples)
        if takesOneStepShortcuts, let call = plan.soleCall {
            sampled.draw(call, seed: seed)
        } else {
            sampled.walk(plan, seed: seed)
        }

        var worst = EstimationSampler(plan: plan, random: SplitMix64(seed: seed), worst: true)
        worst.run(plan.root)

        let steps = plan.rows.indices.map { row in
            let span = sampled.span(of: row)
            return StepEstimate(
                path: plan.rows[row].path, kind: plan.rows[row].kind, tierID: plan.rows[row].tierID,
                calls: Self.stats(sampled.rowCalls[span], worst: worst.rowCalls[row]),
                inputTokens: Self.stats(sampled.rowInput[span], worst: worst.rowInput[row]),
                outputTokens: Self.stats(sampled.rowOutput[span], worst: worst.rowOutput[row]),
                reasoningTokens: Self.stats(sampled.rowReasoning[span], worst: worst.rowReasoning[row]),
                cost: Self.money(sampled.rowCost[span], worst: worst.rowCost[row]),
                confidence: plan.rows[row].confidence, outputTokensPerCallP95: plan.rows[row].outputP95PerCall)
        }
        let worstInput = worst.rowInput.reduce(0, +)
        let worstOutput = worst.rowOutput.reduce(0, +)
        // With one row the run's totals are that row's, sample by sample (every cost is added
        // to both): its statistics are reused rather than selected again.
        let single = takesOneStepShortcuts && steps.count == 1 ? steps[0] : nil
        let totalTokens: EstimateStats<Int>
        if let single, let input = sampled.fixedInput {
            totalTokens = Self.stats(
                shifting: sampled.totalOutput, by: input, quantiles: single.outputTokens, worst: worstInput + worstOutput)
        } else {
            let totals = zip(sampled.totalInput, sampled.totalOutput).map { $0 + $1 }
            totalTokens = Self.stats(totals[...], worst: worstInput + worstOutput)
        }
        return RunEstimate(
            workflow: graph.name, samples: samples, seed: seed, steps: steps,
            inputTokens: single?.inputTokens ?? Self.stats(sampled.totalInput[...], worst: worstInput),
            outputTokens: single?.outputTokens ?? Self.stats(sampled.totalOutput[...], worst: worstOutput),
            reasoningTokens: single?.reasoningTokens
                ?? Self.stats(sampled.totalReasoning[...], worst: worst.rowReasoning.reduce(0, +)),
            totalTokens: totalTokens,
            cost: single?.cost ?? Self.money(sampled.totalCost[...], worst: worst.totalCost),
            confidence: min(steps.map(\.confidence).min() ?? .learned, builder.shapeConfidence))
    }

    static func stats(_ values: ArraySlice<Int>, worst: Int) -> EstimateStats<Int> {
        let (p50, p95) = medianAndP95(values)
        let mean = Double(values.reduce(0, +)) / Double(max(values.count, 1))
        return EstimateStats(
            expected: Int(mean.rounded()), p50: p50, p95: p95, worst: max(worst, values.max() ?? 0))
    }

    /// What ``stats(_:worst:)`` gives for every one of `values` plus `shift`, where `quantiles`
    /// holds the median and 95th percentile of `values` themselves: selection by rank moves with
    /// the shift, so only the mean and the maximum are read again. A one-call run's total tokens
    /// are its fixed input plus each sample's output.
    static func stats(shifting values: [Int], by shift: Int, quantiles: EstimateStats<Int>, worst: Int)
        -> EstimateStats<Int>
    {
        let count = max(values.count, 1)
        let mean = Double(values.reduce(0, +) + shift * values.count) / Double(count)
        return EstimateStats(
            expected: Int(mean.rounded()), p50: quantiles.p50 + shift, p95: quantiles.p95 + shift,
            worst: max(worst, (values.max() ?? 0) + shift))
    }

    static func money(_ values: ArraySlice<Int64>, worst: Int64) -> EstimateStats<Money> {
        let (p50, p95) = medianAndP95(values)
        let total = values.reduce(0, +)
        let count = Int64(max(values.count, 1))
        // The mean rounded up, like every charge.
        let mean = total / count + (total % count == 0 ? 0 : 1)
        return EstimateStats(
            expected: Money(micros: mean), p50: Money(micros: p50), p95: Money(micros: p95),
            worst: Money(micros: max(worst, values.max() ?? 0)))
    }

    /// Nearest-rank median and 95th percentile by selection, not sorting: an estimate computes
    /// five per step, and they dominate its time on large graphs.
    static func medianAndP95<T: BinaryInteger>(_ values: ArraySlice<T>) -> (T, T) {
        guard let first = values.first else { return (0, 0) }
        if values.allSatisfy({ $0 == first }) { return (first, first) }
        var scratch = Array(values)
        let high = rank(0.95, count: values.count)
        let middle = rank(0.5, count: values.count)
        return scratch.withUnsafeMutableBufferPointer { buffer in
            let p95 = select(buffer, high, in: 0..<buffer.count)
            // After selecting `high`, everything below it is in 0..<high.
            let p50 = middle == high ? p95 : select(buffer, middle, in: 0..<high)
            return (p50, p95)
        }
    }

    private static func rank(_ q: Double, count: Int) -> Int {
        min(max(Int((q * Double(count)).rounded(.up)) - 1, 0), count - 1)
    }

    /// Hoare-style quickselect: puts the `k`-th smallest at `k`, smaller ones before it. On a
    /// buffer, not an array: an array checked its uniqueness on every swap, a third of the time.
    private static func select<T: BinaryInteger>(_ values: UnsafeMutableBufferPointer<T>, _ k: Int, in range: Range<Int>)
        -> T
    {
        var low = range.lowerBound
        var high = range.upperBound - 1
        var random = SplitMix64(seed: UInt64(values.count))
        while low < high {
            let pivot = values[low + Int(random.next() % UInt64(high - low + 1))]
            var left = low
            var right = high
            while left <= right {
                while values[left] < pivot { left += 1 }
                while values[right] > pivot { right -= 1 }
                if left <= right {
                    values.swapAt(left, right)
                    left += 1
                    right -= 1
                }
            }
            if k <= right {
                high = right
            } else if k >= left {
                low = left
            } else {
                return values[k]
            }
        }
        return values[k]
    }

}
