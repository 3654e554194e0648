import Foundation
internal import GRDB
import Purser

/// What reconciliation did.
public struct ReconcileReport: Sendable, Hashable, Codable {
    /// A reservation left open by a process that died.
    public struct Item: Sendable, Hashable, Codable {
        public var reservationID: String
        public var runID: RunID
        public var workflow: String
        public var stepKey: String
        public var tierID: String
        /// What it was settled at: its full reserved amount and tokens.
        public var amount: Money
        public var tokens: Int
        /// The process that held it.
        public var pid: Int32
    }

    /// Reservations of dead processes, now settled at their reserved amounts.
    public var reconciled: [Item]
    /// Reservations still open, held by processes that are alive.
    public var stillOpen: Int

    /// The flag on a reconciled settlement's entry, shown in spend reports.
    public static let flag = "reconciled: outcome unknown"
}

/// Crash recovery. A process that dies between reserve and settle leaves a reservation open,
/// and nobody knows whether its call was made and charged. Such a reservation is settled at
/// its full reserved amount (the call's worst case) and flagged: spend is never under-counted,
/// a cap is never passed (the amount was already held against it), and reports show the flag.
/// It is never released silently.
extension SQLiteLedger {
    /// Settles, at their reserved amounts, the open reservations of processes that are gone.
    /// Runs when the file is opened; safe to run at any time from any process (live processes'
    /// reservations are left alone).
    @discardableResult
    public func reconcile() throws -> ReconcileReport {
        try Self.reconcile(pool, budgets: budgetCache, clock: clock)
    }

    static func reconcile(_ pool: DatabasePool, budgets: BudgetCache, clock: any PurserClock) throws -> ReconcileReport {
        // A cheap look first: most openings find nothing to do and take no write lock.
        let anyOpen = try pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM open_reservation)") ?? false
        }
        guard anyOpen else { return ReconcileReport(reconciled: [], stillOpen: 0) }
        let now = clock.wallNow()
        return try pool.writeWithoutTransaction { db in
            var report = ReconcileReport(reconciled: [], stillOpen: 0)
            try db.inTransaction(.immediate) {
                report = try reconcile(db, budgets: budgets, at: now)
                return .commit
            }
            return report
        }
    }

    private static func reconcile(_ db: Database, budgets: BudgetCache, at date: Date) throws -> ReconcileReport {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.run_id, e.workflow, e.step_key, e.tier_id, e.amount_micros, e.tokens, e.pid,
                    e.process_start, e.boot_id
                FROM open_reservation o JOIN entry e ON e.id = o.id ORDER BY o.id
                """)
        var liveness: [ProcessIdentity: Bool] = [:]
        var report = ReconcileReport(reconciled: [], stillOpen: 0)
        for row in rows {
            let holder = ProcessIdentity(pid: Int32(truncatingIfNeeded: row["pid"] as Int64), startTicks: row["process_start"],
                bootID: row["boot_id"])
            let alive = liveness[holder] ?? holder.isAlive
            liveness[holder] = alive
            if alive {
                report.stillOpen += 1
                continue
            }
            let id: Int64 = row["id"]
            let amount = Money(micros: row["amount_micros"])
            let tokens: Int = row["tokens"]
            // The reserved tokens are counted as input: the split is unknown, the total is not.
            _ = try resolve(
                id, of: nil, as: .settled(usage: TokenUsage(inputTokens: tokens), cost: amount, flag: ReconcileReport.flag),
                budgets: budgets, at: date, db)
            report.reconciled.append(
                .init(
                    reservationID: "r\(id)", runID: RunID(row["run_id"] as String), workflow: row["workflow"],
                    stepKey: row["step_key"], tierID: row["tier_id"], amount: amount, tokens: tokens,
                    pid: holder.pid))
        }
        return report
    }
}
