import Foundation
internal import GRDB
import Purser

/// The ledger file also keeps the journal: a step's record and output are written when it
/// finishes, so a run started again with the same id (after a failure, or in another process
/// after a crash) replays its finished steps instead of calling and charging them again.
/// Entries are JSON, read back exactly.
extension SQLiteLedger: Journal {
    public func record(_ entry: JournalEntry) async throws {
        let json = try StreamingJSONEncoder().encodeBytes(entry)
        let now = Int64((clock.wallNow().timeIntervalSince1970 * 1000).rounded())
        // Group-committed with the ledger's other writes.
        try await writeImmediately { db in try Self.insert(entry, json: json, at: now, db) }
    }

    /// Settles the call and journals its step in one transaction when this file is also the
    /// journal: both are written, or neither.
    @discardableResult
    public func settle(
        _ reservation: Reservation, usage: TokenUsage, cost: Money, journaling entry: JournalEntry,
        in journal: any Journal
    ) async throws -> [BudgetAlert] {
        guard let other = journal as? SQLiteLedger, other === self else {
            let alerts = try await settle(reservation, usage: usage, cost: cost)
            try await journal.record(entry)
            return alerts
        }
        try Self.check(amount: cost, tokens: usage.totalTokens, what: "charge")
        let id = try Self.rowID(of: reservation)
        let json = try StreamingJSONEncoder().encodeBytes(entry)
        let date = clock.wallNow()
        let now = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let budgets = budgetCache
        return try await writeImmediately { db in
            let alerts = try Self.resolve(
                id, of: reservation.request.runID, as: .settled(usage: usage, cost: cost, flag: nil), budgets: budgets,
                at: date, db)
            try Self.insert(entry, json: json, at: now, db)
            return alerts
        }
    }

    /// `json` is the entry, encoded.
    static func insert(_ entry: JournalEntry, json: [UInt8], at milliseconds: Int64, _ db: Database) throws {
        try RawStatement(
            db,
            """
            INSERT INTO journal (run_id, step_key, entry, recorded_at_ms) VALUES (?, ?, ?, ?)
            ON CONFLICT (run_id, step_key) DO UPDATE SET entry = excluded.entry,
                recorded_at_ms = excluded.recorded_at_ms
            """
        ).run([.text(entry.runID.rawValue), .text(entry.record.key), .utf8(json), .integer(milliseconds)])
    }

    public func entries(for runID: RunID) async throws -> [String: JournalEntry] {
        let rows = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT entry FROM journal WHERE run_id = ?", arguments: [runID.rawValue])
        }
        var entries: [String: JournalEntry] = [:]
        for row in rows {
            let entry = try JSONDecoder().decode(JournalEntry.self, from: Data(row.utf8))
            entries[entry.record.key] = entry
        }
        return entries
    }
}
