/// A distribution summarised: its mean, median, 95th percentile and a true upper bound.
public struct EstimateStats<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var expected: Value
    public var p50: Value
    public var p95: Value
    /// The most it can be given the declared bounds (every for-each at its maxCount, every loop
    /// at its maxIterations, every answer at its maxOutputTokens, the dearer branch).
    public var worst: Value

    public init(expected: Value, p50: Value, p95: Value, worst: Value) {
        self.expected = expected
        self.p50 = p50
        self.p95 = p95
        self.worst = worst
    }
}

/// How sure an estimate is.
public enum EstimateConfidence: String, Sendable, Hashable, Codable, Comparable {
    /// No history: the stated prior only.
    case prior
    /// Some history (fewer than 20 observations): prior and history blended.
    case learning
    /// At least 20 observations.
    case learned

    private var rank: Int {
        switch self {
        case .prior: 0
        case .learning: 1
        case .learned: 2
        }
    }

    public static func < (lhs: EstimateConfidence, rhs: EstimateConfidence) -> Bool { lhs.rank < rhs.rank }
}

/// One model or tool step's estimate: per run, all its instances together.
public struct StepEstimate: Sendable, Hashable, Codable {
    public var path: String
    public var kind: StepKind
    /// The tier the router would choose (model steps).
    public var tierID: String?
    /// Calls of this step per run.
    public var calls: EstimateStats<Int>
    public var inputTokens: EstimateStats<Int>
    /// Output tokens, reasoning included.
    public var outputTokens: EstimateStats<Int>
    public var reasoningTokens: EstimateStats<Int>
    public var cost: EstimateStats<Money>
    public var confidence: EstimateConfidence
    /// The 95th percentile of one call's output (model steps), once history has at least 8
    /// calls of the step; the router checks latency at this size.
    public var outputTokensPerCallP95: Int?
}

/// What a run is expected to cost before it starts: per step and in total, as a distribution
/// from a seeded Monte Carlo over the graph.
public struct RunEstimate: Sendable, Hashable, Codable {
    public var workflow: String
    public var samples: Int
    public var seed: UInt64
    public var steps: [StepEstimate]
    public var inputTokens: EstimateStats<Int>
    public var outputTokens: EstimateStats<Int>
    public var reasoningTokens: EstimateStats<Int>
    public var totalTokens: EstimateStats<Int>
    public var cost: EstimateStats<Money>
    /// The least confident step's confidence.
    public var confidence: EstimateConfidence
}
