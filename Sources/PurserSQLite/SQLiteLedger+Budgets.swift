import Foundation
internal import GRDB
import Purser

/// What finance does: set and remove caps, see where each stands, read the audit log. Every
/// change and its audit entry are written in one transaction, so the log never misses one; a
/// change that is refused writes nothing.
extension SQLiteLedger {
    /// Sets (or replaces) the budget for its scope and period, and logs the change.
    ///
    /// The budget is checked again (its fields are mutable), and `actor` must name someone;
    /// a refusal throws ``BudgetInputError`` and writes nothing. Lowering a limit below what
    /// the period has spent is allowed: it refuses every new reservation until the period
    /// turns.
    @discardableResult
    public func setBudget(_ budget: Budget, actor: String, reason: String? = nil) throws -> BudgetChange {
        let budget = try StoredBudget.validated(budget)
        let actor = try Self.checkedActor(actor)
        let now = clock.wallNow()
        return try writeImmediatelyNow { db in
            let old = try StoredBudget.named(budget.name, db)
            let columns = StoredBudget.columns(budget)
            try db.execute(
                sql: """
                    INSERT INTO budget (name, scope, period, limit_micros, token_limit, soft_percent, policy, admission,
                        updated_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET limit_micros = excluded.limit_micros,
                        token_limit = excluded.token_limit, soft_percent = excluded.soft_percent,
                        policy = excluded.policy, admission = excluded.admission, updated_at_ms = excluded.updated_at_ms
                    """,
                arguments: StatementArguments(
                    [budget.name, budget.scope.description, budget.period.rawValue] + columns
                        + [StoredTime.milliseconds(now)]))
            try BudgetCache.bump(db)
            return try Self.logChange(
                .set, scope: budget.scope, period: budget.period, old: old, new: budget, actor: actor, reason: reason,
                at: now, db)
        }
    }

    /// Removes the budget for `scope` and `period`, and logs it. Throws ``BudgetInputError``
    /// (writing nothing) when there is no such budget. What its periods spent stays in the
    /// ledger: setting the budget again finds it.
    @discardableResult
    public func removeBudget(scope: BudgetScope, period: BudgetPeriod, actor: String, reason: String? = nil) throws
        -> BudgetChange
    {
        let actor = try Self.checkedActor(actor)
        let name = "\(scope)/\(period.rawValue)"
        let now = clock.wallNow()
        return try writeImmediatelyNow { db in
            guard let old = try StoredBudget.named(name, db) else {
                throw BudgetInputError("there is no budget \(name) to remove")
            }
            try db.execute(sql: "DELETE FROM budget WHERE name = ?", arguments: [name])
            try BudgetCache.bump(db)
            return try Self.logChange(
                .remove, scope: scope, period: period, old: old, new: nil, actor: actor, reason: reason, at: now, db)
        }
    }

    /// Every budget with its figures for the period `date` falls in, by name.
    ///
    /// A `run` budget caps each run on its own, so it has no single current period: it is
    /// reported with period key `run` and zero spent and reserved (what each run used is in
    /// that run's own figures, and in ``spend(by:from:to:)``).
    public func budgetStatuses(at date: Date? = nil) throws -> [BudgetStatus] {
        let date = date ?? clock.wallNow()
        return try pool.read { db in
            try StoredBudget.all(db).map { budget in
                if budget.period == .run {
                    return BudgetStatus(
                        budget: budget, periodKey: "run", spent: .zero, reserved: .zero, spentTokens: 0,
                        reservedTokens: 0)
                }
                return try Self.statuses(of: [budget], runID: RunID(""), at: date, db)[0]
            }
        }
    }

    /// The budget for `scope` and `period`, if set.
    public func budget(scope: BudgetScope, period: BudgetPeriod) throws -> Budget? {
        try pool.read { db in try StoredBudget.named("\(scope)/\(period.rawValue)", db) }
    }

    /// The audit log, oldest first.
    public func history() throws -> [BudgetChange] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM budget_change ORDER BY id").map { row in
                let action: String = row["action"]
                let scope: String = row["scope"]
                let period: String = row["period"]
                return BudgetChange(
                    id: row["id"], at: StoredTime.date(row["at_ms"]), actor: row["actor"],
                    action: BudgetChange.Action(rawValue: action) ?? .set, scope: try BudgetScope(parsing: scope),
                    period: try BudgetPeriod(parsing: period), old: try StoredBudget.budget(from: row, prefix: "old_"),
                    new: try StoredBudget.budget(from: row, prefix: "new_"), reason: row["reason"])
            }
        }
    }

    private static func logChange(
        _ action: BudgetChange.Action, scope: BudgetScope, period: BudgetPeriod, old: Budget?, new: Budget?,
        actor: String, reason: String?, at date: Date, _ db: Database
    ) throws -> BudgetChange {
        try db.execute(
            sql: """
                INSERT INTO budget_change (at_ms, actor, action, budget, scope, period,
                    old_limit_micros, old_token_limit, old_soft_percent, old_policy, old_admission,
                    new_limit_micros, new_token_limit, new_soft_percent, new_policy, new_admission, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: StatementArguments(
                [StoredTime.milliseconds(date), actor, action.rawValue, "\(scope)/\(period.rawValue)",
                 scope.description, period.rawValue] + StoredBudget.columns(old) + StoredBudget.columns(new) + [reason]))
        return BudgetChange(
            id: db.lastInsertedRowID, at: StoredTime.date(StoredTime.milliseconds(date)), actor: actor, action: action,
            scope: scope, period: period, old: old, new: new, reason: reason)
    }

    private static func checkedActor(_ actor: String) throws(BudgetInputError) -> String {
        let trimmed = actor.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw BudgetInputError("a budget change needs an actor: who is making it") }
        return trimmed
    }
}
