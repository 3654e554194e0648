/// Every Monte Carlo sample's figures, one flat buffer per quantity: each row's (row-major,
/// row × samples) and the run's totals. Filled in place, then summarised by ``Estimator``.
struct EstimationSamples {
    let count: Int
    var rowInput: [Int]
    var rowOutput: [Int]
    var rowReasoning: [Int]
    var rowCalls: [Int]
    var rowCost: [Int64]
    var totalInput: [Int]
    var totalOutput: [Int]
    var totalReasoning: [Int]
    var totalCost: [Int64]
    /// The input tokens of every sample, when they are all the same (a drawn call's).
    private(set) var fixedInput: Int?

    init(rows: Int, samples count: Int) {
        self.count = count
        rowInput = [Int](repeating: 0, count: rows * count)
        rowOutput = rowInput
        rowReasoning = rowInput
        rowCalls = rowInput
        rowCost = [Int64](repeating: 0, count: rows * count)
        totalInput = [Int](repeating: 0, count: count)
        totalOutput = totalInput
        totalReasoning = totalInput
        totalCost = [Int64](repeating: 0, count: count)
    }

    /// The positions of `row`'s samples in the row buffers.
    func span(of row: Int) -> Range<Int> { row * count..<(row + 1) * count }

    /// Samples `plan` by walking all of it, `count` times.
    mutating func walk(_ plan: EstimationPlan, seed: UInt64) {
        let rowCount = plan.rows.count
        var sampler = EstimationSampler(plan: plan, random: SplitMix64(seed: seed), worst: false)
        for sample in 0..<count {
            sampler.reset()
            sampler.run(plan.root)
            var input = 0
            var output = 0
            var reasoning = 0
            for row in 0..<rowCount {
                let index = row * count + sample
                rowInput[index] = sampler.rowInput[row]
                rowOutput[index] = sampler.rowOutput[row]
                rowReasoning[index] = sampler.rowReasoning[row]
                rowCalls[index] = sampler.rowCalls[row]
                rowCost[index] = sampler.rowCost[row]
                input += sampler.rowInput[row]
                output += sampler.rowOutput[row]
                reasoning += sampler.rowReasoning[row]
            }
            totalInput[sample] = input
            totalOutput[sample] = output
            totalReasoning[sample] = reasoning
            totalCost[sample] = sampler.totalCost
        }
    }

    /// Samples a plan that is one call (``EstimationPlan/soleCall``) by drawing that call
    /// alone, `count` times: the draws a walk would make, in the same order from the same
    /// seed, so the figures are the walk's, without walking the plan, clearing a sampler and
    /// copying its tallies for every sample. A one-step workflow is the commonest kind a
    /// server runs, and its estimate is most of what starting it costs.
    mutating func draw(_ call: EstimationPlan.Model, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        let input = call.input.fixed
        fixedInput = input
        for sample in 0..<count {
            let draw = EstimationSampler.draw(call, input: input, random: &random)
            let output = draw.visible + draw.reasoning
            rowInput[sample] = input
            rowOutput[sample] = output
            rowReasoning[sample] = draw.reasoning
            rowCalls[sample] = 1
            rowCost[sample] = draw.cost.micros
            totalInput[sample] = input
            totalOutput[sample] = output
            totalReasoning[sample] = draw.reasoning
            totalCost[sample] = draw.cost.micros
        }
    }
}
