import Foundation
internal import GRDB
import Purser

/// The statements every ledger write is made of, run inside the caller's transaction:
/// reading a balance, moving money on it, appending an entry, recording an alert. Statements
/// are cached per connection, since a reserve+settle pair runs each of them many times a second.
enum LedgerBooks {
    /// What one budget's period has used.
    struct Balance: Sendable, Hashable {
        var spent = Money.zero
        var reserved = Money.zero
        var spentTokens = 0
        var reservedTokens = 0

        init() {}

        /// From the columns spent_micros, reserved_micros, spent_tokens, reserved_tokens.
        init(_ columns: [Int64]) {
            spent = Money(micros: columns[0])
            reserved = Money(micros: columns[1])
            spentTokens = Int(columns[2])
            reservedTokens = Int(columns[3])
        }
    }

    /// A change to one balance: added to its columns.
    struct Delta {
        var spent = Money.zero
        var reserved = Money.zero
        var spentTokens = 0
        var reservedTokens = 0
    }

    static func balance(budget: String, periodKey: String, _ db: Database) throws -> Balance {
        let statement = try RawStatement(
            db,
            """
            SELECT spent_micros, reserved_micros, spent_tokens, reserved_tokens
            FROM balance WHERE budget = ? AND period_key = ?
            """)
        guard let row = try statement.integers([.text(budget), .text(periodKey)]) else { return Balance() }
        return Balance(row)
    }

    /// Adds `delta` to a balance, creating it at zero first; returns the balance after.
    @discardableResult
    static func apply(_ delta: Delta, budget: String, periodKey: String, _ db: Database) throws -> Balance {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO balance (budget, period_key, spent_micros, reserved_micros, spent_tokens, reserved_tokens)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (budget, period_key) DO UPDATE SET
                spent_micros = spent_micros + ?3, reserved_micros = reserved_micros + ?4,
                spent_tokens = spent_tokens + ?5, reserved_tokens = reserved_tokens + ?6
            RETURNING spent_micros, reserved_micros, spent_tokens, reserved_tokens
            """)
        let row = try statement.integers([
            .text(budget), .text(periodKey), .integer(delta.spent.micros), .integer(delta.reserved.micros),
            .integer(delta.spentTokens), .integer(delta.reservedTokens),
        ])
        guard let row else { throw LedgerError("the balance \(budget)@\(periodKey) could not be written") }
        return Balance(row)
    }

    /// A settle, release or adjust entry.
    struct Entry {
        var kind: String
        var reservationID: Int64?
        var budget: String?
        var periodKey: String?
        var amount: Money
        var tokens: Int
        var usage: TokenUsage?
        var at: Date
        var flag: String?
        var actor: String?
        var reason: String?
    }

    static func append(_ entry: Entry, _ db: Database) throws {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO entry (kind, reservation_id, budget, period_key, amount_micros, tokens, input_tokens,
                output_tokens, reasoning_tokens, cached_tokens, at_ms, day, flag, actor, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.run([
            .text(entry.kind), .optional(entry.reservationID), .optional(entry.budget), .optional(entry.periodKey),
            .integer(entry.amount.micros), .integer(entry.tokens), .optional(entry.usage?.inputTokens),
            .optional(entry.usage?.outputTokens), .optional(entry.usage?.reasoningTokens),
            .optional(entry.usage?.cachedInputTokens), .integer(StoredTime.milliseconds(entry.at)),
            .text(PeriodKeys.key(.day, at: entry.at, runID: RunID(""))), .optional(entry.flag), .optional(entry.actor),
            .optional(entry.reason),
        ])
    }

    /// Appends the reserve entry that is the reservation (a trigger opens it); returns its id.
    static func appendReserve(
        _ request: ReservationRequest, holds: [(budget: String, periodKey: String)], process: ProcessIdentity,
        at date: Date, _ db: Database
    ) throws -> Int64 {
        let statement = try RawStatement(
            db,
            """
            INSERT INTO entry (kind, amount_micros, tokens, at_ms, day, run_id, workflow, step_key, tier_id, tags,
                holds, pid, process_start, boot_id)
            VALUES ('reserve', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        try statement.run([
            .integer(request.amount.micros), .integer(request.tokens), .integer(StoredTime.milliseconds(date)),
            .text(PeriodKeys.key(.day, at: date, runID: request.runID)), .text(request.runID.rawValue),
            .text(request.workflow), .text(request.stepKey), .text(request.tierID), .text(StoredText.tags(request.tags)),
            .text(StoredText.holds(holds)), .integer(Int64(process.pid)), .integer(process.startTicks),
            .text(process.bootID),
        ])
        return db.lastInsertedRowID
    }

    static func record(_ alert: BudgetAlert, at date: Date, _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO alert (at_ms, kind, budget, period_key, spent_micros, limit_micros, message)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
        try statement.execute(arguments: [
            StoredTime.milliseconds(date), alert.kind.rawValue, alert.budget, alert.periodKey, alert.spent.micros,
            alert.limit?.micros, alert.message,
        ])
    }

    /// The alert for a charge that took `budget`'s spend across its soft threshold, exactly as
    /// ``InMemoryLedger`` raises it: once, on the charge that crosses.
    static func softAlert(budget: Budget, periodKey: String, before: Money, after: Money) -> BudgetAlert? {
        guard let limit = budget.limit, let percent = budget.softThresholdPercent else { return nil }
        // Compared as spend × 100 against limit × percent: exact, and far from overflow at the
        // largest limit a budget accepts.
        func crossed(_ spent: Money) -> Bool {
            let (scaled, overflow) = spent.micros.multipliedReportingOverflow(by: 100)
            return overflow || scaled >= limit.micros * Int64(percent)
        }
        guard !crossed(before), crossed(after) else { return nil }
        return BudgetAlert(
            kind: .softThreshold, budget: budget.name, periodKey: periodKey, spent: after, limit: limit,
            message: "\(budget.name) has spent \(after) of \(limit) (soft threshold \(percent)%)")
    }
}
