import Foundation

/// How a run ended (or that it has not yet).
public enum RunStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Accepted, waiting for a free slot (the server's run queue); the engine never reports it.
    case queued
    case running, succeeded, failed, cancelled

    /// Whether the run has ended.
    public var isFinal: Bool { self != .queued && self != .running }
}

/// Totals over a run's step records.
public struct RunTotals: Sendable, Hashable, Codable {
    public var usage: TokenUsage = .zero
    public var cost: Money = .zero
    public var modelCalls = 0
    public var toolCalls = 0

    public init() {}

    /// Counts one finished step (model and agent-loop calls as model calls).
    public mutating func add(_ record: StepRecord) {
        usage += record.usage
        cost += record.cost
        switch record.kind {
        case .model, .agentLoop: modelCalls += 1
        case .tool: toolCalls += 1
        default: break
        }
    }
}

/// The shape a run took, for learning: how many items each for-each had, how many model
/// calls each agent loop made, which arm each branch took. Keyed by step id; one entry per
/// instance (a for-each inside a for-each contributes one count per outer item). Keys are
/// step-instance keys (`clauses`, `outer[2]/inner`); ``StepPath`` turns them into step paths.
public struct RunObservations: Sendable, Hashable, Codable {
    public var forEachCounts: [String: [Int]] = [:]
    public var loopIterations: [String: [Int]] = [:]
    public var branchesTaken: [String: [Bool]] = [:]

    public init() {}
}

/// A run as stored and listed: identity, status and totals.
public struct RunSummary: Sendable, Hashable, Codable {
    public var id: RunID
    public var workflow: String
    public var status: RunStatus
    public var input: JSONValue
    public var tags: [String: String]
    public var startedAt: Date
    public var endedAt: Date?
    public var totals: RunTotals
    public var output: JSONValue?
    public var error: PurserError?

    public init(
        id: RunID, workflow: String, status: RunStatus, input: JSONValue, tags: [String: String], startedAt: Date,
        endedAt: Date? = nil, totals: RunTotals = RunTotals(), output: JSONValue? = nil, error: PurserError? = nil
    ) {
        self.id = id
        self.workflow = workflow
        self.status = status
        self.input = input
        self.tags = tags
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.totals = totals
        self.output = output
        self.error = error
    }
}

/// Everything a finished run produced.
public struct RunResult: Sendable, Hashable, Codable {
    public var id: RunID
    public var workflow: String
    public var status: RunStatus
    /// The last top-level step's output; `nil` unless the run succeeded.
    public var output: JSONValue?
    /// Outputs of the top-level steps that finished, by step id (kept when the run fails).
    public var outputs: [String: JSONValue]
    /// One record per step instance, in the order they finished.
    public var records: [StepRecord]
    public var totals: RunTotals
    /// Wall-clock seconds from start to end.
    public var duration: Double
    public var error: PurserError?
    /// What the run was estimated to cost before it started (when the engine estimated it).
    public var estimate: RunEstimate?
    /// The shape the run took (fan-out counts, loop iterations, branches taken).
    public var observations: RunObservations

    public init(
        id: RunID, workflow: String, status: RunStatus, output: JSONValue? = nil, outputs: [String: JSONValue] = [:],
        records: [StepRecord] = [], totals: RunTotals = RunTotals(), duration: Double = 0, error: PurserError? = nil,
        estimate: RunEstimate? = nil, observations: RunObservations = RunObservations()
    ) {
        self.id = id
        self.workflow = workflow
        self.status = status
        self.output = output
        self.outputs = outputs
        self.records = records
        self.totals = totals
        self.duration = duration
        self.error = error
        self.estimate = estimate
        self.observations = observations
    }

    /// The records of model calls and tool calls, without containers.
    public var callRecords: [StepRecord] { records.filter(\.isCall) }
}
