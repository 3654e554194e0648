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
    /// Why the last tier tried was chosen and the others were not (model calls only).
    public var decision: RoutingDecision?
    /// Every call made, in order, with its tier and outcome (model calls only).
    public var calls: [CallAttempt]
    /// Tokens of a tool's result as a model would read it (tool calls only): what later
    /// prompts that quote it will cost.
    public var resultTokens: Int?

    /// A model call, a tool call or an agent loop: what is charged or counted per call, unlike
    /// the containers (sequences, fan-outs, branches) that hold them.
    public var isCall: Bool { kind == .model || kind == .tool || kind == .agentLoop }

    public init(
        key: String, stepID: String, kind: StepKind, status: Status, tierID: String? = nil, tool: String? = nil,
        usage: TokenUsage = .zero, usageIsEstimated: Bool = false, cost: Money = .zero, latency: Double = 0,
        attempts: Int = 0, error: PurserError? = nil, startedAt: Date, decision: RoutingDecision? = nil,
        calls: [CallAttempt] = []
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
        self.calls = calls
    }
}

/// One call of a model step on one tier: every retry, fallback and escalation is one.
public struct CallAttempt: Sendable, Hashable, Codable {
    public enum Outcome: String, Sendable, Hashable, Codable {
        case succeeded
        case failed
        /// The tier answered, but the answer failed the step's validator.
        case outputRejected
    }

    public var tierID: String
    public var outcome: Outcome
    public var usage: TokenUsage
    public var cost: Money
    /// Seconds from the call's start to its end.
    public var latency: Double
    public var error: PurserError?

    public init(
        tierID: String, outcome: Outcome, usage: TokenUsage = .zero, cost: Money = .zero, latency: Double = 0,
        error: PurserError? = nil
    ) {
        self.tierID = tierID
        self.outcome = outcome
        self.usage = usage
        self.cost = cost
        self.latency = latency
        self.error = error
    }
}
