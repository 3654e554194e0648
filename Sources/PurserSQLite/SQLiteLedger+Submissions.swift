import Foundation
internal import GRDB
import Purser

/// A run the server accepted, as stored: enough to start it again after a restart.
public struct Submission: Sendable, Hashable {
    public var id: RunID
    public var idempotencyKey: String?
    public var workflow: String
    /// The request as the server parsed it (input, tags, per-run budget), as JSON.
    public var request: JSONValue
    public var submittedAt: Date
    /// The run as the API answers for it (a JSON document), recorded when it ended; `nil` while
    /// it is queued or running. Stored as sent so that reading an ended run costs no encoding.
    public var document: Data?

    public init(
        id: RunID, idempotencyKey: String?, workflow: String, request: JSONValue, submittedAt: Date,
        document: Data? = nil
    ) {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.workflow = workflow
        self.request = request
        self.submittedAt = submittedAt
        self.document = document
    }
}

/// One page of runs, newest first, and the cursor for the next page (`nil` on the last).
public struct RunPage: Sendable, Hashable {
    public var runs: [RunSummary]
    public var nextCursor: Int64?
}

/// What the server keeps of the runs it accepted, in the run's own row (see `LedgerSchema`).
/// Accepting a run writes that row, request and summary together, in one statement, so a run is
/// either wholly accepted (and will run, even after a crash) or not at all; the unique
/// idempotency key makes a repeated request find the first run instead of starting another.
extension SQLiteLedger {
    /// Stores `submission` with a `queued` run summary, or, when a submission with the same
    /// idempotency key exists, stores nothing and returns that one. `created` says which.
    ///
    /// With `readsBudgets`, a stored run also comes back with the budgets that apply to it, as
    /// ``budgets(forRun:workflow:tags:)`` would return them, read in the same transaction: for
    /// a run about to start (``RunOptions/budgets``), this read costs next to nothing on the
    /// writer, where a reader connection's would refill a cache that every commit empties.
    public func accept(_ submission: Submission, queued summary: RunSummary, readsBudgets: Bool = false) async throws
        -> (submission: Submission, created: Bool, budgets: [BudgetStatus]?)
    {
        let request = submission.request.compactJSON
        let runJSON = try StreamingJSONEncoder().encodeBytes(summary)
        let now = clock.wallNow()
        let budgetCache = budgetCache
        let outcome: (existing: String?, budgets: [BudgetStatus]?) = try await writeImmediately { db in
            if let key = submission.idempotencyKey,
                let id = try String.fetchOne(
                    db, sql: "SELECT id FROM run WHERE idempotency_key = ?", arguments: [key])
            {
                return (id, nil)
            }
            try RawStatement(
                db,
                """
                INSERT INTO run (id, workflow, status, tags, started_at_ms, ended_at_ms, cost_micros, input_tokens,
                    output_tokens, model_calls, tool_calls, summary, request, idempotency_key, submitted_at_ms,
                    finished)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
                """
            ).run(
                Self.summaryColumns(summary, json: runJSON) + [
                    .text(request), .optional(submission.idempotencyKey),
                    .integer(StoredTime.milliseconds(submission.submittedAt)),
                ])
            guard readsBudgets else { return (nil, nil) }
            let budgets = try Self.statuses(
                applyingTo: submission.workflow, tags: summary.tags, runID: submission.id, budgets: budgetCache,
                at: now, db)
            return (nil, budgets)
        }
        guard let existing = outcome.existing else { return (submission, true, outcome.budgets) }
        guard let stored = try await self.submission(RunID(existing)) else {
            throw LedgerError("submission \(existing) vanished")
        }
        return (stored, false, nil)
    }

    /// Records the end of an accepted run: `document`, the JSON the API answers for it, and,
    /// when given, the run's final summary, in one statement (where the engine's own save of the
    /// summary would be a second write).
    public func finishSubmission(_ id: RunID, document: Data, summary: RunSummary? = nil) async throws {
        // The summary's own id is the row's; `id` names the submission the document is for.
        if let summary, summary.id != id { throw LedgerError("run \(summary.id) cannot finish submission \(id)") }
        let runJSON = try summary.map { try StreamingJSONEncoder().encodeBytes($0) }
        try await writeImmediately { db in
            if let summary, let runJSON {
                try RawStatement(
                    db,
                    """
                    UPDATE run SET workflow = ?2, status = ?3, tags = ?4, started_at_ms = ?5, ended_at_ms = ?6,
                        cost_micros = ?7, input_tokens = ?8, output_tokens = ?9, model_calls = ?10, tool_calls = ?11,
                        summary = ?12, finished = 1, document = ?13
                    WHERE id = ?1 AND request IS NOT NULL
                    """
                ).run(Self.summaryColumns(summary, json: runJSON) + [.utf8(document)])
            } else {
                try RawStatement(db, "UPDATE run SET finished = 1, document = ? WHERE id = ? AND request IS NOT NULL")
                    .run([.utf8(document), .text(id.rawValue)])
            }
            guard db.changesCount == 1 else { throw LedgerError("no accepted run \(id) to finish") }
        }
    }

    public func submission(_ id: RunID) async throws -> Submission? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Self.submissionColumns) FROM run WHERE id = ? AND request IS NOT NULL",
                arguments: [id.rawValue]
            ).map(Self.submission(from:))
        }
    }

    /// Accepted runs that have not ended, oldest first: what a restarted server resumes.
    public func unfinishedSubmissions() throws -> [Submission] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.submissionColumns) FROM run WHERE finished = 0 ORDER BY submitted_at_ms, seq"
            ).map(Self.submission(from:))
        }
    }

    private static let submissionColumns = "id, idempotency_key, workflow, request, submitted_at_ms, document"

    /// Runs (any process's, the server's and the CLI's), newest first, optionally of one status
    /// and one workflow; `cursor` continues after the last page.
    public func runs(status: RunStatus? = nil, workflow: String? = nil, limit: Int, cursor: Int64? = nil) async throws
        -> RunPage
    {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let status {
            conditions.append("status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        }
        if let workflow {
            conditions.append("workflow = ?")
            _ = arguments.append(contentsOf: [workflow])
        }
        if let cursor {
            conditions.append("seq < ?")
            _ = arguments.append(contentsOf: [cursor])
        }
        _ = arguments.append(contentsOf: [limit + 1])
        let sql =
            "SELECT summary, seq FROM run"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY seq DESC LIMIT ?"
        let finalArguments = arguments
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: finalArguments).map { row -> (String, Int64) in
                (row["summary"], row["seq"])
            }
        }
        let page = rows.prefix(limit)
        let runs = try page.map { try JSONDecoder().decode(RunSummary.self, from: Data($0.0.utf8)) }
        return RunPage(runs: runs, nextCursor: rows.count > limit ? page.last?.1 : nil)
    }

    private static func submission(from row: Row) throws -> Submission {
        let request = try JSONValue(parsing: row["request"] as String)
        return Submission(
            id: RunID(row["id"] as String), idempotencyKey: row["idempotency_key"], workflow: row["workflow"],
            request: request, submittedAt: StoredTime.date(row["submitted_at_ms"]),
            document: (row["document"] as String?).map { Data($0.utf8) })
    }
}

extension SQLiteLedger {
    /// What a run's calls have been charged so far (money and tokens), counting reconciled
    /// reservations at their settled amount: a restarted server charges a run's own cap with it.
    public func settledSpend(ofRun runID: RunID) async throws -> (cost: Money, tokens: Int) {
        try await pool.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT COALESCE(SUM(s.amount_micros), 0) AS cost, COALESCE(SUM(s.tokens), 0) AS tokens
                    FROM entry s JOIN entry r ON s.reservation_id = r.id
                    WHERE s.kind = 'settle' AND r.run_id = ?
                    """, arguments: [runID.rawValue])
            return (Money(micros: row?["cost"] ?? 0), row?["tokens"] ?? 0)
        }
    }

    /// Moves the write-ahead log into the database file and empties it: what a server does last
    /// when it shuts down, so the file alone holds everything.
    public func checkpoint() throws {
        try pool.writeWithoutTransaction { db in
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}

/// One settled call of a run, as the ledger recorded it.
public struct RunCharge: Sendable, Hashable {
    public var stepKey: String
    public var tierID: String
    public var cost: Money
    /// Settled by reconciliation after its process died, at its reserved amount.
    public var reconciled: Bool
}

extension SQLiteLedger {
    /// Every settled call of a run, in the order they were settled.
    public func charges(ofRun runID: RunID) async throws -> [RunCharge] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT r.step_key, r.tier_id, s.amount_micros, s.flag
                    FROM entry s JOIN entry r ON s.reservation_id = r.id
                    WHERE s.kind = 'settle' AND r.run_id = ? ORDER BY s.id
                    """, arguments: [runID.rawValue]
            ).map { row in
                RunCharge(
                    stepKey: row["step_key"] ?? "", tierID: row["tier_id"] ?? "", cost: Money(micros: row["amount_micros"]),
                    reconciled: (row["flag"] as String?) != nil)
            }
        }
    }
}
