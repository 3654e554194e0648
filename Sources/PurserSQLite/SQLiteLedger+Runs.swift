import Foundation
internal import GRDB
import Purser

/// The ledger file also keeps runs, so one object serves as both the engine's ledger and its
/// run store (`Engine(ledger: ledger, runStore: ledger)`), and spend reports can tell which
/// runs succeeded. A summary is kept whole as JSON, to read back exactly, beside the columns
/// reports filter and total on.
extension SQLiteLedger: RunStore {
    /// Group-committed with the ledger's other writes: a busy server saves every run twice.
    public func save(_ run: RunSummary) async throws {
        let json = try StreamingJSONEncoder().encodeBytes(run)
        try await writeImmediately { db in try Self.saveRun(run, json: json, in: db) }
    }

    /// Inserts or updates a run's row; `json` is the encoded summary. A submitted run's request
    /// and document, in the same row, are left as they are.
    static func saveRun(_ run: RunSummary, json: [UInt8], in db: Database) throws {
        try RawStatement(
            db,
            """
            INSERT INTO run (id, workflow, status, tags, started_at_ms, ended_at_ms, cost_micros, input_tokens,
                output_tokens, model_calls, tool_calls, summary)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET workflow = excluded.workflow, status = excluded.status,
                tags = excluded.tags, started_at_ms = excluded.started_at_ms, ended_at_ms = excluded.ended_at_ms,
                cost_micros = excluded.cost_micros, input_tokens = excluded.input_tokens,
                output_tokens = excluded.output_tokens, model_calls = excluded.model_calls,
                tool_calls = excluded.tool_calls, summary = excluded.summary
            """
        ).run(summaryColumns(run, json: json))
    }

    /// The values of the run row's summary columns, in this order (which `saveRun`, acceptance
    /// and the end of a submitted run bind them in): id, workflow, status, tags, started_at_ms,
    /// ended_at_ms, cost_micros, input_tokens, output_tokens, model_calls, tool_calls, summary.
    static func summaryColumns(_ run: RunSummary, json: [UInt8]) -> [RawStatement.Value] {
        [
            .text(run.id.rawValue), .text(run.workflow), .text(run.status.rawValue), .text(StoredText.tags(run.tags)),
            .integer(StoredTime.milliseconds(run.startedAt)), .optional(run.endedAt.map(StoredTime.milliseconds)),
            .integer(run.totals.cost.micros), .integer(run.totals.usage.inputTokens),
            .integer(run.totals.usage.outputTokens), .integer(run.totals.modelCalls), .integer(run.totals.toolCalls),
            .utf8(json),
        ]
    }

    public func run(_ id: RunID) async throws -> RunSummary? {
        let json = try await pool.read { db in
            try String.fetchOne(db, sql: "SELECT summary FROM run WHERE id = ?", arguments: [id.rawValue])
        }
        return try json.map { try JSONDecoder().decode(RunSummary.self, from: Data($0.utf8)) }
    }

    /// Runs, newest first (by start time, then by when they were first saved).
    public func list(limit: Int) async throws -> [RunSummary] {
        let rows = try await pool.read { db in
            try String.fetchAll(
                db, sql: "SELECT summary FROM run ORDER BY started_at_ms DESC, seq DESC LIMIT ?",
                arguments: [max(limit, 0)])
        }
        return try rows.map { try JSONDecoder().decode(RunSummary.self, from: Data($0.utf8)) }
    }
}
