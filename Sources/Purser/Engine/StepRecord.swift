import Foundation

/// What happened at one step instance: where it ran, what it used, what it cost.
///
/// Step *instances* have keys: a top-level step's key is its id; inside a for-each it is
/// `review[3]/assess`; agent-loop calls are `research#2` and their tool calls
/// `research#2/calculator`; sub-workflow steps are `kyc/check`.
public struct StepRecord: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case succeeded, failed, cancelled
        /// Taken from the journal of an earlier attempt at this run; not run again.
        case replayed
    }

    public var key: String
    public var stepID: String
    public var kind: StepKind
    public var status: Status
    public var tierID: String?
    /// The tool called, for tool steps and agent-loop tool calls.
    public var tool: String?
    public var usage: TokenUsage
    /// True when some usage was counted by Purser because the provider reported none.
    public var usageIsEstimated: Bool
    public var cost: Money
    /// Seconds from the first attempt's start to the step's end.
    public var latency: Double
    public var attempts: Int
    public var error: PurserError?
    public var startedAt: Date
    /// Why the tier was chosen and the others were not (model calls only).
    public var decision: TierDecision?
    /// Tokens of a tool's result as a model would read it (tool calls only): what later
    /// prompts that quote it will cost.
    public var resultTokens: Int?

    public init(
        key: String, stepID: String, kind: StepKind, status: Status, tierID: String? = nil, tool: String? = nil,
        usage: TokenUsage = .zero, usageIsEstimated: Bool = false, cost: Money = .zero, latency: Double = 0,
        attempts: Int = 0, error: PurserError? = nil, startedAt: Date, decision: TierDecision? = nil
    ) {
        self.key = key
        self.stepID = stepID
        self.kind = kind
        self.status = status
        self.tierID = tierID
        self.tool = tool
        self.usage = usage
        self.usageIsEstimated = usageIsEstimated
        self.cost = cost
        self.latency = latency
        self.attempts = attempts
        self.error = error
        self.startedAt = startedAt
        self.decision = decision
    }
}

/// A routing decision as kept in a step record.
public struct TierDecision: Sendable, Hashable, Codable {
    public var tierID: String
    public var expectedCost: Money
    public var worstCaseCost: Money
    public var predictedP95Seconds: Double
    public var rejected: [TierRejection]

    public init(_ choice: TierChoice) {
        tierID = choice.tier.id
        expectedCost = choice.expectedCost
        worstCaseCost = choice.worstCaseCost
        predictedP95Seconds = choice.predictedP95Seconds
        rejected = choice.rejected
    }
}
