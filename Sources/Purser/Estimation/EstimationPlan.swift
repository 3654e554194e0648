/// A workflow graph flattened for estimation: every template already counted against the
/// input, every reference turned into a slot, every learned distribution looked up. Built
/// once per estimate, then sampled many times, so a sample costs a few array reads a step.
struct EstimationPlan {
    /// Tokens a prompt costs: fixed text and known values, plus earlier outputs read whole
    /// (`refs`) or in part (`partials`: a member of a JSON answer, expected size given).
    struct InputShape {
        var fixed = 0
        var refs: [Int] = []
        var partials: [(slot: Int, expected: Int)] = []

        mutating func add(_ other: InputShape) {
            fixed += other.fixed
            refs += other.refs
            partials += other.partials
        }
    }

    /// A learned quantity, or a stated prior when there is no history.
    struct Distribution {
        var window: ObservationWindow?
        /// Inclusive prior range, sampled uniformly.
        var prior: ClosedRange<Int>
        /// The largest value allowed.
        var cap: Int

        var confidence: EstimateConfidence {
            guard let count = window?.count, count > 0 else { return .prior }
            return count >= 20 ? .learned : .learning
        }

        /// History is trusted in proportion to how much there is: with n observations it is
        /// drawn with probability n / (n + 3), else the prior, so early estimates stay wide.
        func sample(_ random: inout SplitMix64) -> Int {
            if let window, !window.isEmpty {
                let count = Double(window.count)
                if random.unit() < count / (count + 3) { return min(window.sample(&random), cap) }
            }
            let span = UInt64(prior.upperBound - prior.lowerBound + 1)
            return min(prior.lowerBound + Int(random.next() % span), cap)
        }

        /// The 95th percentile of what history saw, once it saw at least `minimum` values.
        func observedP95(minimum: Int = 8) -> Int? {
            guard let window, window.count >= minimum, let p95 = window.quantile(0.95) else { return nil }
            return min(p95, cap)
        }

        var expected: Double {
            let priorMean = Double(prior.lowerBound + prior.upperBound) / 2
            guard let window, let mean = window.mean else { return min(priorMean, Double(cap)) }
            let count = Double(window.count)
            return min((mean * count + priorMean * 3) / (count + 3), Double(cap))
        }
    }

    /// A class, so walking the plan passes a reference instead of copying it.
    final class Model {
        let row: Int
        let slot: Int
        let input: InputShape
        /// The chosen tier's prices (the tier itself is named in the row).
        let pricing: Pricing
        let maxOutputTokens: Int
        let visible: Distribution
        let reasoning: Distribution

        init(row: Int, slot: Int, input: InputShape, pricing: Pricing, maxOutputTokens: Int, visible: Distribution, reasoning: Distribution) {
            self.row = row
            self.slot = slot
            self.input = input
            self.pricing = pricing
            self.maxOutputTokens = maxOutputTokens
            self.visible = visible
            self.reasoning = reasoning
        }
    }

    /// A class, so walking the plan passes a reference instead of copying it.
    final class Tool {
        let row: Int
        let slot: Int
        let result: Distribution
        /// The upper bound used for the worst case (tools declare no output bound).
        let worstResult: Int

        init(row: Int, slot: Int, result: Distribution, worstResult: Int) {
            self.row = row
            self.slot = slot
            self.result = result
            self.worstResult = worstResult
        }
    }

    /// A class, so walking the plan passes a reference instead of copying it.
    final class Loop {
        let model: Model
        let toolDefinitionTokens: Int
        let iterations: Distribution
        let maxIterations: Int
        let toolResult: Distribution
        let worstToolResult: Int

        init(model: Model, toolDefinitionTokens: Int, iterations: Distribution, maxIterations: Int, toolResult: Distribution, worstToolResult: Int) {
            self.model = model
            self.toolDefinitionTokens = toolDefinitionTokens
            self.iterations = iterations
            self.maxIterations = maxIterations
            self.toolResult = toolResult
            self.worstToolResult = worstToolResult
        }
    }

    /// A class, so walking the plan passes a reference instead of copying it.
    final class Fan {
        let slot: Int
        let count: Distribution
        /// One body per known item; or a single body reused for every item when the list is
        /// only known at run time.
        let bodies: [Node]
        let knownCount: Int?
        let maxCount: Int
        /// The slot of each body's last step, whose outputs make the for-each's output.
        let lastSlots: [Int]

        init(slot: Int, count: Distribution, bodies: [Node], knownCount: Int?, maxCount: Int, lastSlots: [Int]) {
            self.slot = slot
            self.count = count
            self.bodies = bodies
            self.knownCount = knownCount
            self.maxCount = maxCount
            self.lastSlots = lastSlots
        }
    }

    /// A class, so walking the plan passes a reference instead of copying it.
    final class Choice {
        let slot: Int
        /// Probability of the "then" arm; 0 or 1 when the condition could be decided from the input.
        let thenProbability: Double
        let decided: Bool
        let then: Node
        let otherwise: Node
        let thenLastSlot: Int?
        let otherwiseLastSlot: Int?

        init(slot: Int, thenProbability: Double, decided: Bool, then: Node, otherwise: Node, thenLastSlot: Int?, otherwiseLastSlot: Int?) {
            self.slot = slot
            self.thenProbability = thenProbability
            self.decided = decided
            self.then = then
            self.otherwise = otherwise
            self.thenLastSlot = thenLastSlot
            self.otherwiseLastSlot = otherwiseLastSlot
        }
    }

    indirect enum Node {
        case model(Model)
        case tool(Tool)
        case sequence([Node])
        case parallel([Node])
        case forEach(Fan)
        case loop(Loop)
        case branch(Choice)
        /// A sub-workflow: its steps, and the slot its output (its last step's) goes to.
        case scope(Node, slot: Int, lastSlot: Int?)
    }

    /// A reported step (model, loop or tool) in definition order.
    struct Row {
        var path: String
        var kind: StepKind
        var tierID: String?
        var confidence: EstimateConfidence
        /// The 95th percentile of one call's output, once history has enough calls to say.
        var outputP95PerCall: Int?
    }

    var root: Node
    var rows: [Row]
    var slotCount: Int

    /// The plan's only step, when it is one model call on a prompt that quotes no earlier
    /// output (a one-step workflow): a sample of it is one draw, with nothing to walk.
    var soleCall: Model? {
        guard rows.count == 1 else { return nil }
        var node = root
        while case .sequence(let children) = node, children.count == 1 { node = children[0] }
        guard case .model(let model) = node, model.input.refs.isEmpty, model.input.partials.isEmpty else { return nil }
        return model
    }
}
