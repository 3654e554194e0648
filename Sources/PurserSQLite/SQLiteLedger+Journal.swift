import Foundation
internal import GRDB
import Purser

/// The ledger file also keeps the journal: a step's record and output are written when it
/// finishes, so a run started again with the same id (after a failure, or in another process
/// after a crash) replays its finished steps instead of calling and charging them again.
/// Entries are JSON, read back exactly.
extension SQLiteLedger: Journal {
    public func record(_ entry: JournalEntry) async throws {
        let json = String(decoding: try StreamingJSONEncoder().encodeBytes(entry), as: UTF8.self)
        let now = Int64((clock.wallNow().timeIntervalSince1970 * 1000).rounded())
        // Group-committed with the ledger's other writes.
        try await writeImmediately { db in
            try db.cachedStatement(
                sql: """
                    INSERT INTO journal (run_id, step_key, entry, recorded_at_ms) VALUES (?, ?, ?, ?)
                    ON CONFLICT (run_id, step_key) DO UPDATE SET entry = excluded.entry,
                        recorded_at_ms = excluded.recorded_at_ms
                    """
            ).execute(arguments: [entry.runID.rawValue, entry.record.key, json, now])
        }
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
