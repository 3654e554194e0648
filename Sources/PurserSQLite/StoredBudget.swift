import Foundation
internal import GRDB
import Purser

/// Reading and writing ``Budget`` values as table columns (amounts as integer micros).
enum StoredBudget {
    /// The budget in `row`'s columns named `prefix` + `limit_micros`, … ; `nil` when the
    /// row has none (its policy column is NULL, as for the missing side of a change).
    static func budget(from row: Row, prefix: String = "") throws -> Budget? {
        guard let policy: String = row[prefix + "policy"] else { return nil }
        let scope: String = row["scope"]
        let period: String = row["period"]
        let limit: Int64? = row[prefix + "limit_micros"]
        let tokenLimit: Int? = row[prefix + "token_limit"]
        let soft: Int? = row[prefix + "soft_percent"]
        let admission: String = row[prefix + "admission"]
        do {
            return try Budget(
                scope: BudgetScope(parsing: scope), period: BudgetPeriod(parsing: period),
                limit: limit.map { Money(micros: $0) }, tokenLimit: tokenLimit, softThresholdPercent: soft,
                policy: BudgetPolicy(parsing: policy), admission: AdmissionBasis(parsing: admission))
        } catch {
            throw LedgerError("the stored budget \(scope)/\(period) is unreadable: \(error)")
        }
    }

    /// Column values for `budget`, in the order `limit_micros, token_limit, soft_percent,
    /// policy, admission`; all NULL for no budget.
    static func columns(_ budget: Budget?) -> [(any DatabaseValueConvertible)?] {
        guard let budget else { return [nil, nil, nil, nil, nil] }
        return [
            budget.limit?.micros, budget.tokenLimit, budget.softThresholdPercent, budget.policy.rawValue,
            budget.admission.rawValue,
        ]
    }

    /// Every budget, by name.
    static func all(_ db: Database) throws -> [Budget] {
        let statement = try db.cachedStatement(
            sql: "SELECT scope, period, limit_micros, token_limit, soft_percent, policy, admission FROM budget ORDER BY name")
        return try Row.fetchAll(statement).compactMap { try budget(from: $0) }
    }

    /// The budget named `name` (`tag:team=support/month`), if set.
    static func named(_ name: String, _ db: Database) throws -> Budget? {
        let statement = try db.cachedStatement(
            sql: """
                SELECT scope, period, limit_micros, token_limit, soft_percent, policy, admission
                FROM budget WHERE name = ?
                """)
        return try Row.fetchOne(statement, arguments: [name]).flatMap { try budget(from: $0) }
    }

    /// Checks a budget again through ``Budget``'s validating initializer: its fields are
    /// public and mutable, so a value may have been changed after it was checked. Its scope
    /// must also read back as itself from its written form (no empty workflow name, no `=` in
    /// a tag key), since that form is how it is stored and shown.
    static func validated(_ budget: Budget) throws(BudgetInputError) -> Budget {
        guard try BudgetScope(parsing: budget.scope.description) == budget.scope else {
            throw BudgetInputError("the scope '\(budget.scope)' cannot be written unambiguously")
        }
        return try Budget(
            scope: budget.scope, period: budget.period, limit: budget.limit, tokenLimit: budget.tokenLimit,
            softThresholdPercent: budget.softThresholdPercent, policy: budget.policy, admission: budget.admission)
    }
}

/// Milliseconds since 1970 UTC, how the database keeps times.
enum StoredTime {
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    static func date(_ milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
