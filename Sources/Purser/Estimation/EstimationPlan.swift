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

        var expected: Double {
            let priorMean = Double(prior.lowerBound + prior.upperBound) / 2
            guard let window, let mean = window.mean else { return min(priorMean, Double(cap)) }
            let count = Double(window.count)
            return min((mean * count + priorMean * 3) / (count + 3), Double(cap))
        }
    }

    struct Model {
        var row: Int
        var slot: Int
        var input: InputShape
        var tier: Tier
        var maxOutputTokens: Int
        var visible: Distribution
        var reasoning: Distribution
    }

    struct Tool {
        var row: Int
        var slot: Int
        var result: Distribution
        /// The upper bound used for the worst case (tools declare no output bound).
        var worstResult: Int
    }

    struct Loop {
        var model: Model
        var toolDefinitionTokens: Int
        var iterations: Distribution
        var maxIterations: Int
        var toolResult: Distribution
        var worstToolResult: Int
    }

    struct Fan {
        var slot: Int
        var count: Distribution
        /// One body per known item; or a single body reused for every item when the list is
        /// only known at run time.
        var bodies: [Node]
        var knownCount: Int?
        var maxCount: Int
        /// The slot of each body's last step, whose outputs make the for-each's output.
        var lastSlots: [Int]
    }

    struct Choice {
        var slot: Int
        /// Probability of the "then" arm; 0 or 1 when the condition could be decided from the input.
        var thenProbability: Double
        var decided: Bool
        var then: Node
        var otherwise: Node
        var thenLastSlot: Int?
        var otherwiseLastSlot: Int?
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
    }

    var root: Node
    var rows: [Row]
    var slotCount: Int
}
