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
    public var selector: TierSelector
    public var tokenCounter: any TokenCounter
    public var tools: ToolRegistry
    /// Monte Carlo samples; more is smoother and slower (500 takes about a millisecond for 50 steps).
    public var samples: Int
    public var seed: UInt64

    public static let defaultSeed: UInt64 = 0x5075_7273_6572_2026

    public init(
        selector: TierSelector, tokenCounter: any TokenCounter = ApproximateTokenCounter(),
        tools: ToolRegistry = ToolRegistry(), samples: Int = 500, seed: UInt64 = Estimator.defaultSeed
    ) {
        self.selector = selector
        self.tokenCounter = tokenCounter
        self.tools = tools
        self.samples = max(samples, 1)
        self.seed = seed
    }

    public func estimate(_ graph: WorkflowGraph, input: JSONValue, history: LearnedHistory = LearnedHistory())
        throws(PurserError) -> RunEstimate
    {
        var builder = EstimationPlanBuilder(
            workflow: graph.name, selector: selector, counter: tokenCounter, tools: tools, history: history)
        let context = EstimationPlanBuilder.Context(input: .known(input), jurisdictions: graph.workflow.jurisdictions)
        let (root, _, _) = try builder.sequence(graph.workflow.steps, context)
        let plan = EstimationPlan(root: root, rows: builder.rows, slotCount: builder.slotCount)
        let rowCount = plan.rows.count

        var sampler = EstimationSampler(plan: plan, random: SplitMix64(seed: seed), worst: false)
        var rowInput = [[Int]](repeating: [], count: rowCount)
        var rowOutput = rowInput
        var rowReasoning = rowInput
        var rowCalls = rowInput
        var rowCost = [[Int64]](repeating: [], count: rowCount)
        var totalInput: [Int] = []
        var totalOutput: [Int] = []
        var totalReasoning: [Int] = []
        var totalCost: [Int64] = []
        for _ in 0..<samples {
            sampler.reset()
            sampler.run(plan.root)
            for row in 0..<rowCount {
                rowInput[row].append(sampler.rowInput[row])
                rowOutput[row].append(sampler.rowOutput[row])
                rowReasoning[row].append(sampler.rowReasoning[row])
                rowCalls[row].append(sampler.rowCalls[row])
                rowCost[row].append(sampler.rowCost[row])
            }
            totalInput.append(sampler.rowInput.reduce(0, +))
            totalOutput.append(sampler.rowOutput.reduce(0, +))
            totalReasoning.append(sampler.rowReasoning.reduce(0, +))
            totalCost.append(sampler.totalCost)
        }

        var worst = EstimationSampler(plan: plan, random: SplitMix64(seed: seed), worst: true)
        worst.run(plan.root)

        let steps = plan.rows.indices.map { row in
            StepEstimate(
                path: plan.rows[row].path, kind: plan.rows[row].kind, tierID: plan.rows[row].tierID,
                calls: Self.stats(rowCalls[row], worst: worst.rowCalls[row]),
                inputTokens: Self.stats(rowInput[row], worst: worst.rowInput[row]),
                outputTokens: Self.stats(rowOutput[row], worst: worst.rowOutput[row]),
                reasoningTokens: Self.stats(rowReasoning[row], worst: worst.rowReasoning[row]),
                cost: Self.money(rowCost[row], worst: worst.rowCost[row]),
                confidence: plan.rows[row].confidence)
        }
        let totalTokens = zip(totalInput, totalOutput).map { $0 + $1 }
        let worstInput = worst.rowInput.reduce(0, +)
        let worstOutput = worst.rowOutput.reduce(0, +)
        return RunEstimate(
            workflow: graph.name, samples: samples, seed: seed, steps: steps,
            inputTokens: Self.stats(totalInput, worst: worstInput),
            outputTokens: Self.stats(totalOutput, worst: worstOutput),
            reasoningTokens: Self.stats(totalReasoning, worst: worst.rowReasoning.reduce(0, +)),
            totalTokens: Self.stats(totalTokens, worst: worstInput + worstOutput),
            cost: Self.money(totalCost, worst: worst.totalCost),
            confidence: min(steps.map(\.confidence).min() ?? .learned, builder.shapeConfidence))
    }

    static func stats(_ values: [Int], worst: Int) -> EstimateStats<Int> {
        let sorted = values.sorted()
        let mean = Double(values.reduce(0, +)) / Double(max(values.count, 1))
        return EstimateStats(
            expected: Int(mean.rounded()), p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95),
            worst: max(worst, sorted.last ?? 0))
    }

    static func money(_ values: [Int64], worst: Int64) -> EstimateStats<Money> {
        let sorted = values.sorted()
        let total = values.reduce(0, +)
        let count = Int64(max(values.count, 1))
        // The mean rounded up, like every charge.
        let mean = total / count + (total % count == 0 ? 0 : 1)
        return EstimateStats(
            expected: Money(micros: mean), p50: Money(micros: quantile(sorted, 0.5)),
            p95: Money(micros: quantile(sorted, 0.95)), worst: Money(micros: max(worst, sorted.last ?? 0)))
    }

    /// Nearest-rank quantile of sorted values.
    static func quantile<T: BinaryInteger>(_ sorted: [T], _ q: Double) -> T {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}
