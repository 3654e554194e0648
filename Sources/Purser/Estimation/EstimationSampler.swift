/// Walks an ``EstimationPlan`` once: a random sample of how a run may go, or (with `worst`)
/// the most it can cost within the declared bounds.
struct EstimationSampler {
    typealias Plan = EstimationPlan

    var outputs: [Int]
    var rowInput: [Int]
    var rowOutput: [Int]
    var rowReasoning: [Int]
    var rowCalls: [Int]
    var rowCost: [Int64]
    var totalCost: Int64 = 0
    var random: SplitMix64
    let worst: Bool

    init(plan: Plan, random: SplitMix64, worst: Bool) {
        outputs = Array(repeating: 0, count: plan.slotCount)
        rowInput = Array(repeating: 0, count: plan.rows.count)
        rowOutput = rowInput
        rowReasoning = rowInput
        rowCalls = rowInput
        rowCost = Array(repeating: 0, count: plan.rows.count)
        self.random = random
        self.worst = worst
    }

    /// Clears the per-run tallies for the next sample, keeping the generator's state.
    mutating func reset() {
        for index in rowInput.indices {
            rowInput[index] = 0
            rowOutput[index] = 0
            rowReasoning[index] = 0
            rowCalls[index] = 0
            rowCost[index] = 0
        }
        totalCost = 0
    }

    /// Runs `node`; returns its output in tokens.
    @discardableResult
    mutating func run(_ node: Plan.Node) -> Int {
        switch node {
        case .model(let model):
            let output = call(model, input: tokens(of: model.input))
            outputs[model.slot] = output
            return output

        case .tool(let tool):
            let result = worst ? tool.worstResult : tool.result.sample(&random)
            outputs[tool.slot] = result
            rowCalls[tool.row] += 1
            return result

        case .sequence(let children):
            var last = 0
            for child in children { last = run(child) }
            return last

        case .parallel(let branches):
            var total = 0
            for branch in branches { total += run(branch) }
            return total

        case .forEach(let fan):
            let count = fan.knownCount ?? (worst ? fan.maxCount : max(fan.count.sample(&random), 0))
            var total = 0
            for position in 0..<count {
                let body = fan.bodies.count == 1 ? 0 : position
                run(fan.bodies[body])
                total += outputs[fan.lastSlots[body]] + 2
            }
            outputs[fan.slot] = total
            return total

        case .loop(let loop):
            let iterations = worst ? loop.maxIterations : max(1, loop.iterations.sample(&random))
            var context = tokens(of: loop.model.input)
            var answer = 0
            for iteration in 1...iterations {
                answer = call(loop.model, input: context)
                if iteration < iterations {
                    let results = worst ? loop.worstToolResult : loop.toolResult.sample(&random)
                    context += answer + results + 8
                }
            }
            outputs[loop.model.slot] = answer
            return answer

        case .branch(let choice):
            if worst, !choice.decided {
                // The dearer arm, whichever it is.
                var then = self
                then.run(choice.then)
                var otherwise = self
                otherwise.run(choice.otherwise)
                self = then.totalCost >= otherwise.totalCost ? then : otherwise
                let tookThen = then.totalCost >= otherwise.totalCost
                let last = tookThen ? choice.thenLastSlot : choice.otherwiseLastSlot
                outputs[choice.slot] = last.map { outputs[$0] } ?? 0
                return outputs[choice.slot]
            }
            let takeThen = choice.decided ? choice.thenProbability >= 1 : random.unit() < choice.thenProbability
            run(takeThen ? choice.then : choice.otherwise)
            let last = takeThen ? choice.thenLastSlot : choice.otherwiseLastSlot
            outputs[choice.slot] = last.map { outputs[$0] } ?? 0
            return outputs[choice.slot]

        case .scope(let child, let slot, let lastSlot):
            run(child)
            outputs[slot] = lastSlot.map { outputs[$0] } ?? 0
            return outputs[slot]
        }
    }

    private func tokens(of shape: Plan.InputShape) -> Int {
        var total = shape.fixed
        for slot in shape.refs { total += outputs[slot] }
        for partial in shape.partials { total += worst ? outputs[partial.slot] : min(partial.expected, outputs[partial.slot]) }
        return total
    }

    /// One random call of `model` on `input` tokens: its visible output, its reasoning, and
    /// what it costs. The estimator's one-call shortcut draws with this too, so that both
    /// consume the generator identically and agree to the token.
    static func draw(_ model: Plan.Model, input: Int, random: inout SplitMix64) -> (
        visible: Int, reasoning: Int, cost: Money
    ) {
        let thought = min(model.reasoning.sample(&random), model.maxOutputTokens - 1)
        let reasoning = max(thought, 0)
        let visible = max(1, min(model.visible.sample(&random), model.maxOutputTokens - reasoning))
        let cost = model.pricing.cost(
            of: TokenUsage(inputTokens: input, outputTokens: visible + reasoning, reasoningTokens: reasoning))
        return (visible, reasoning, cost)
    }

    /// One model call; returns its visible output.
    private mutating func call(_ model: Plan.Model, input: Int) -> Int {
        let visible: Int
        let reasoning: Int
        let cost: Money
        if worst {
            visible = model.maxOutputTokens
            reasoning = model.reasoning.cap == 0 ? 0 : model.maxOutputTokens
            cost = model.pricing.worstCaseCost(inputTokens: input, maxOutputTokens: model.maxOutputTokens)
            rowOutput[model.row] += model.maxOutputTokens
        } else {
            (visible, reasoning, cost) = Self.draw(model, input: input, random: &random)
            rowOutput[model.row] += visible + reasoning
        }
        rowInput[model.row] += input
        rowReasoning[model.row] += reasoning
        rowCalls[model.row] += 1
        rowCost[model.row] += cost.micros
        totalCost += cost.micros
        return visible
    }
}
