import Foundation
internal import GRDB
import Purser

/// Spend reports, computed from the ledger's settle entries (what was actually charged,
/// including reconciled settlements) joined with their reserve entries (workflow, tier, tags)
/// and the stored runs (which succeeded). Adjustments are budget corrections, not calls, and
/// are left out. A report reads every entry once (there is no index on time: each index is
/// one more page written per reservation, and reports are rare).
extension SQLiteLedger {
    /// Spend charged in `[from, to)`, grouped, largest cost first (then by key).
    public func spend(by grouping: SpendGrouping, from: Date, to: Date) throws -> [SpendRow] {
        guard from < to else { throw BudgetInputError("the report's start must be before its end") }
        let group: String
        var join = ""
        var arguments: StatementArguments = []
        switch grouping {
        case .workflow: group = "r.workflow"
        case .tier: group = "r.tier_id"
        case .day: group = "e.day"
        case .tag(let key?):
            group = "COALESCE((SELECT ? || '=' || t.value FROM json_each(r.tags) t WHERE t.key = ?), '(untagged)')"
            arguments = [key, key]
        case .tag(nil):
            join = "LEFT JOIN json_each(r.tags) t"
            group = "COALESCE(t.key || '=' || t.value, '(untagged)')"
        }
        arguments += [StoredTime.milliseconds(from), StoredTime.milliseconds(to)]
        let sql = """
            SELECT \(group) AS grp,
                SUM(e.amount_micros) AS cost, SUM(e.tokens) AS tokens, COUNT(*) AS calls,
                COUNT(DISTINCT r.run_id) AS runs,
                COUNT(DISTINCT CASE WHEN run.status = 'succeeded' THEN r.run_id END) AS successful,
                SUM(CASE WHEN e.flag IS NULL THEN 0 ELSE e.amount_micros END) AS reconciled_cost,
                SUM(e.flag IS NOT NULL) AS reconciled_calls
            FROM entry e
            JOIN entry r ON r.id = e.reservation_id
            LEFT JOIN run ON run.id = r.run_id
            \(join)
            WHERE e.kind = 'settle' AND e.at_ms >= ? AND e.at_ms < ?
            GROUP BY grp
            ORDER BY cost DESC, grp
            """
        return try pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
                SpendRow(
                    key: row["grp"], cost: Money(micros: row["cost"]), tokens: row["tokens"], calls: row["calls"],
                    runs: row["runs"], successfulRuns: row["successful"],
                    reconciledCost: Money(micros: row["reconciled_cost"]), reconciledCalls: row["reconciled_calls"])
            }
        }
    }

    /// Money settled over all time (every settlement, reconciled ones included).
    public func totalSettled() throws -> Money {
        try pool.read { db in
            Money(micros: try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(amount_micros), 0) FROM entry WHERE kind = 'settle'") ?? 0)
        }
    }

    /// Reservations not yet settled or released, oldest first.
    public func openReservations() throws -> [Reservation] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.id, e.run_id, e.workflow, e.step_key, e.tier_id, e.tags, e.amount_micros, e.tokens
                    FROM open_reservation o JOIN entry e ON e.id = o.id ORDER BY o.id
                    """
            ).map { row in
                let tags = try JSONDecoder().decode([String: String].self, from: Data((row["tags"] as String).utf8))
                return Reservation(
                    id: "r\(row["id"] as Int64)",
                    request: ReservationRequest(
                        runID: RunID(row["run_id"] as String), workflow: row["workflow"], stepKey: row["step_key"],
                        tierID: row["tier_id"], tags: tags, amount: Money(micros: row["amount_micros"]),
                        tokens: row["tokens"]))
            }
        }
    }
}
