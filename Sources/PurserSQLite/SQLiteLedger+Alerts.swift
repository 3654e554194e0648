import Foundation
internal import GRDB
import Purser

/// An alert as stored: when it was raised, and its place in the log.
public struct StoredAlert: Sendable, Hashable, Codable {
    /// Increasing with every alert; the log's order.
    public var id: Int64
    public var at: Date
    public var alert: BudgetAlert

    public init(id: Int64, at: Date, alert: BudgetAlert) {
        self.id = id
        self.at = at
        self.alert = alert
    }
}

/// Alerts are written in the same transaction as the charge (soft threshold) or the refusal
/// (hard cap) that raised them, so they are never lost and never raised for something that
/// did not happen.
extension SQLiteLedger {
    /// Alerts raised at or after `date` (all of them when `nil`), oldest first.
    public func alerts(since date: Date? = nil) throws -> [StoredAlert] {
        try pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, at_ms, kind, budget, period_key, spent_micros, limit_micros, message
                    FROM alert WHERE at_ms >= ? ORDER BY id
                    """,
                arguments: [date.map(StoredTime.milliseconds) ?? Int64.min]
            ).map { row in
                let kind: String = row["kind"]
                let limit: Int64? = row["limit_micros"]
                return StoredAlert(
                    id: row["id"], at: StoredTime.date(row["at_ms"]),
                    alert: BudgetAlert(
                        kind: BudgetAlert.Kind(rawValue: kind) ?? .hardCap, budget: row["budget"],
                        periodKey: row["period_key"], spent: Money(micros: row["spent_micros"]),
                        limit: limit.map { Money(micros: $0) }, message: row["message"]))
            }
        }
    }

    /// Corrects a budget period's spend by `amount` (negative for a credit) and `tokens`,
    /// with an `adjust` entry saying who and why: for charges made outside Purser, or refunds.
    /// `periodKey` defaults to the budget's current period (a `run` budget needs one,
    /// `run:ID`). Refused, writing nothing, when the budget does not exist, the actor is
    /// empty, or the correction would make the spend negative.
    public func adjust(
        scope: BudgetScope, period: BudgetPeriod, periodKey: String? = nil, amount: Money, tokens: Int = 0,
        actor: String, reason: String
    ) throws {
        guard !actor.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw BudgetInputError("an adjustment needs an actor: who is making it")
        }
        guard amount.micros.magnitude <= Self.largestAmount.micros.magnitude,
            tokens.magnitude <= Self.largestTokens.magnitude
        else { throw BudgetInputError("an adjustment of \(amount) and \(tokens) tokens is too large") }
        guard amount != .zero || tokens != 0 else { throw BudgetInputError("an adjustment of nothing changes nothing") }
        let name = "\(scope)/\(period.rawValue)"
        if period == .run, periodKey == nil {
            throw BudgetInputError("adjusting \(name) needs the run's period key (run:ID)")
        }
        let now = clock.wallNow()
        let key = periodKey ?? period.key(at: now, runID: RunID(""))
        try writeImmediatelyNow { db in
            guard try StoredBudget.named(name, db) != nil else { throw BudgetInputError("there is no budget \(name)") }
            let balance = try LedgerBooks.balance(budget: name, periodKey: key, db)
            guard balance.spent + amount >= .zero, balance.spentTokens + tokens >= 0 else {
                throw BudgetInputError(
                    "adjusting \(name) for \(key) by \(amount) would leave its spend negative (it is \(balance.spent))")
            }
            try LedgerBooks.append(
                .init(
                    kind: "adjust", budget: name, periodKey: key, amount: amount, tokens: tokens, at: now, actor: actor,
                    reason: reason), db)
            try LedgerBooks.apply(.init(spent: amount, spentTokens: tokens), budget: name, periodKey: key, db)
        }
    }
}
