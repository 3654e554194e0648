import Foundation
import Purser
import PurserSQLite

/// A run as the API shows it (`GET /v1/runs/{id}`, `POST /v1/runs?wait=true`): its status and
/// output, every step with its tier, routing decision, tokens, cost, latency and attempts, its
/// spend, and its estimate beside what it actually cost.
public struct RunView: Encodable, Sendable {
    var id: RunID
    var workflow: String
    var status: RunStatus
    var tags: [String: String]
    var idempotencyKey: String?
    var submittedAt: Date?
    var startedAt: Date?
    var endedAt: Date?
    var durationSeconds: Double?
    var output: JSONValue?
    var error: PurserError?
    var steps: [StepRecord]
    var totals: RunTotals
    var estimate: RunEstimate?
    var estimateVsActual: EstimateVsActual?

    /// How the run's cost compares with what it was estimated to cost before it started.
    struct EstimateVsActual: Encodable, Sendable {
        var expectedCost: Money
        var p95Cost: Money
        var worstCost: Money
        var actualCost: Money
        var withinP95: Bool
        var withinWorst: Bool

        init(_ estimate: RunEstimate, actual: Money) {
            expectedCost = estimate.cost.expected
            p95Cost = estimate.cost.p95
            worstCost = estimate.cost.worst
            actualCost = actual
            withinP95 = actual <= estimate.cost.p95
            withinWorst = actual <= estimate.cost.worst
        }
    }

    /// A stored run's document: the one the server recorded when the run ended, or (for a run
    /// the CLI ran, or one still going in another process) one built from its summary and
    /// journaled steps; `nil` if the run is unknown.
    public static func storedDocument(_ id: RunID, in ledger: SQLiteLedger) async throws -> Data? {
        if let document = try await ledger.submission(id)?.document { return document }
        guard let summary = try await ledger.run(id) else { return nil }
        let journal = try await ledger.entries(for: id)
        let steps = journal.values.map(\.record).sorted { $0.startedAt < $1.startedAt }
        return try RunView(summary: summary, steps: steps).encoded()
    }

    /// The view as the API sends it.
    public func encoded() throws -> Data { try JSONResponse.encode(self) }

    /// A run that has not ended.
    init(live: LiveRunView) {
        id = live.id
        workflow = live.request.workflow
        status = live.status
        tags = live.request.tags
        idempotencyKey = live.request.idempotencyKey
        submittedAt = live.submittedAt
        steps = live.steps
        var totals = RunTotals()
        for step in live.steps { totals.add(step) }
        self.totals = totals
        estimate = live.estimate
    }

    /// A run that ended in this server: what it records and answers.
    init(
        result: RunResult, tags: [String: String], idempotencyKey: String?, submittedAt: Date, startedAt: Date?,
        endedAt: Date
    ) {
        id = result.id
        workflow = result.workflow
        status = result.status
        self.tags = tags
        self.idempotencyKey = idempotencyKey
        self.submittedAt = submittedAt
        self.startedAt = startedAt
        self.endedAt = endedAt
        durationSeconds = result.duration
        output = result.output
        error = result.error
        steps = result.records
        totals = result.totals
        estimate = result.estimate
        estimateVsActual = result.estimate.map { EstimateVsActual($0, actual: result.totals.cost) }
    }

    /// A run known only from the run store (run by the CLI, say), with its journaled steps.
    init(summary: RunSummary, steps: [StepRecord]) {
        id = summary.id
        workflow = summary.workflow
        status = summary.status
        tags = summary.tags
        startedAt = summary.startedAt
        endedAt = summary.endedAt
        output = summary.output
        error = summary.error
        self.steps = steps
        totals = summary.totals
    }
}

/// A page of runs, newest first.
struct RunList: Encodable, Sendable {
    var runs: [RunSummary]
    /// Pass as `cursor` for the next page; absent on the last.
    var nextCursor: String?
}

/// The fields of a run's document that the server reads back (an idempotent repeat answers
/// with the run's status and estimate).
struct RunDocumentHead: Decodable {
    var status: RunStatus
    var estimate: RunEstimate?

    init(_ document: Data) throws {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        self = try decoder.decode(Self.self, from: document)
    }
}

/// What `POST /v1/runs` answers when it does not wait.
struct RunAccepted: Encodable, Sendable {
    var id: RunID
    var status: RunStatus
    var estimate: RunEstimate?
    /// False when the idempotency key named a run that already existed.
    var created: Bool
}
