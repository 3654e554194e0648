import Foundation
internal import GRDB
import Purser

/// The ``Ledger`` protocol: reserve, settle, release, and the budgets that apply to a run.
/// The semantics are ``InMemoryLedger``'s, made durable and shared across processes.
extension SQLiteLedger {
    /// Reserves `request.amount` and `request.tokens` against every applicable budget's
    /// current period, or refuses whole with ``BudgetExceededError`` naming the budget with
    /// the least left. A refusal writes only its hard-cap alert.
    public func reserve(_ request: ReservationRequest) async throws -> Reservation {
        try Self.check(amount: request.amount, tokens: request.tokens, what: "reservation")
        let now = clock.wallNow()
        let process = process
        let budgets = budgetCache
        let outcome = try await writeImmediately { db -> ReserveOutcome in
            let statuses = try Self.statuses(
                applyingTo: request.workflow, tags: request.tags, runID: request.runID, budgets: budgets, at: now, db)
            // The budget that refuses is the one with the least left, so the error names the tightest.
            let refusing = statuses.filter { !$0.fits(amount: request.amount, tokens: request.tokens) }
                .min { ($0.left ?? .zero, $0.budget.name) < ($1.left ?? .zero, $1.budget.name) }
            if let refusing {
                try LedgerBooks.record(
                    BudgetAlert(
                        kind: .hardCap, budget: refusing.budget.name, periodKey: refusing.periodKey,
                        spent: refusing.spent, limit: refusing.budget.limit,
                        message: "\(refusing.budget.name) refused a call of up to \(request.amount)"),
                    at: now, db)
                return .refused(
                    BudgetExceededError(
                        budget: refusing.budget.name, policy: refusing.budget.policy, remaining: refusing.left,
                        requested: request.amount, remainingTokens: refusing.tokensLeft,
                        requestedTokens: request.tokens))
            }
            let holds = statuses.map { (budget: $0.budget.name, periodKey: $0.periodKey) }
            let id = try LedgerBooks.appendReserve(request, holds: holds, process: process, at: now, db)
            for hold in holds {
                try LedgerBooks.apply(
                    .init(reserved: request.amount, reservedTokens: request.tokens), budget: hold.budget,
                    periodKey: hold.periodKey, db)
            }
            return .reserved(Reservation(id: "r\(id)", request: request))
        }
        switch outcome {
        case .reserved(let reservation): return reservation
        case .refused(let error): throw error
        }
    }

    /// Records what the call cost, frees the rest of its hold, and returns the soft-threshold
    /// alerts the charge raised. Throws ``LedgerError`` (writing nothing) when the reservation
    /// was already settled, released or reconciled, or is unknown.
    @discardableResult
    public func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) async throws -> [BudgetAlert] {
        try Self.check(amount: cost, tokens: usage.totalTokens, what: "charge")
        let id = try Self.rowID(of: reservation)
        let now = clock.wallNow()
        let budgets = budgetCache
        return try await writeImmediately { db in
            try Self.resolve(
                id, of: reservation.request.runID, as: .settled(usage: usage, cost: cost, flag: nil), budgets: budgets,
                at: now, db)
        }
    }

    /// Frees a reservation whose call charged nothing. Throws ``LedgerError`` (writing nothing)
    /// when it was already resolved, or is unknown.
    public func release(_ reservation: Reservation) async throws {
        let id = try Self.rowID(of: reservation)
        let now = clock.wallNow()
        let budgets = budgetCache
        _ = try await writeImmediately { db in
            try Self.resolve(id, of: reservation.request.runID, as: .released, budgets: budgets, at: now, db)
        }
    }

    /// The budgets that apply to a run, with their current periods' figures (a consistent
    /// snapshot; it may be out of date by the time a reservation is made, which is why
    /// ``reserve(_:)`` checks again inside its transaction).
    public func budgets(forRun runID: RunID, workflow: String, tags: [String: String]) async throws -> [BudgetStatus] {
        let now = clock.wallNow()
        let budgets = budgetCache
        return try await pool.read { db in
            try Self.statuses(applyingTo: workflow, tags: tags, runID: runID, budgets: budgets, at: now, db)
        }
    }

    // MARK: - Inside the transaction

    private enum ReserveOutcome: Sendable {
        case reserved(Reservation)
        case refused(BudgetExceededError)
    }

    /// How a reservation ends.
    enum Resolution {
        case settled(usage: TokenUsage, cost: Money, flag: String?)
        case released
    }

    /// The budgets that apply to a run of `workflow` with `tags`, each with its current period's
    /// figures: what admission, reservation and acceptance all read.
    static func statuses(
        applyingTo workflow: String, tags: [String: String], runID: RunID, budgets: BudgetCache, at date: Date,
        _ db: Database
    ) throws -> [BudgetStatus] {
        try statuses(
            of: budgets.budgets(db).filter { $0.scope.applies(workflow: workflow, tags: tags) }, runID: runID, at: date,
            db)
    }

    static func statuses(of budgets: [Budget], runID: RunID, at date: Date, _ db: Database) throws -> [BudgetStatus] {
        try budgets.map { budget in
            let periodKey = PeriodKeys.key(budget.period, at: date, runID: runID)
            let balance = try LedgerBooks.balance(budget: budget.name, periodKey: periodKey, db)
            return BudgetStatus(
                budget: budget, periodKey: periodKey, spent: balance.spent, reserved: balance.reserved,
                spentTokens: balance.spentTokens, reservedTokens: balance.reservedTokens)
        }
    }

    /// Settles or releases reservation `id` against the same budget periods it was reserved
    /// in (even if the day has turned since), appending one entry. Only an open reservation
    /// can be resolved: it is checked here for a clear error, and the schema's triggers refuse
    /// a second resolution entry whatever happens.
    ///
    /// `runID`, when given, must be the run the reservation was made for: a reservation from
    /// another ledger file with the same id is refused rather than resolving the wrong one.
    static func resolve(
        _ id: Int64, of runID: RunID?, as resolution: Resolution, budgets: BudgetCache, at date: Date, _ db: Database
    ) throws -> [BudgetAlert] {
        let select = try RawStatement(
            db,
            """
            SELECT o.id IS NOT NULL, e.amount_micros, e.tokens, e.holds, e.run_id
            FROM entry e LEFT JOIN open_reservation o ON o.id = e.id
            WHERE e.id = ? AND e.kind = 'reserve'
            """)
        var found: (open: Bool, amount: Int64, tokens: Int64, holds: String, runID: String)?
        try select.run([.integer(id)]) { row in
            found = (row.integer(0) != 0, row.integer(1), row.integer(2), row.text(3), row.text(4))
        }
        guard let found, runID == nil || runID?.rawValue == found.runID else {
            throw LedgerError("reservation r\(id) is not open (unknown)")
        }
        guard found.open else {
            throw LedgerError("reservation r\(id) is not open (already settled or released)")
        }
        let amount = Money(micros: found.amount)
        let tokens = Int(found.tokens)
        guard let holds = StoredText.holds(parsing: found.holds) else {
            throw LedgerError("reservation r\(id) has unreadable holds")
        }
        let entry: LedgerBooks.Entry
        switch resolution {
        case .settled(let usage, let cost, let flag):
            entry = .init(
                kind: "settle", reservationID: id, amount: cost, tokens: usage.totalTokens, usage: usage, at: date,
                flag: flag)
        case .released:
            entry = .init(kind: "release", reservationID: id, amount: .zero, tokens: 0, at: date)
        }
        // Appending the entry closes the reservation (a trigger takes it out of the open set).
        try LedgerBooks.append(entry, db)

        var alerts: [BudgetAlert] = []
        for hold in holds {
            let delta = LedgerBooks.Delta(
                spent: entry.amount, reserved: .zero - amount, spentTokens: entry.tokens, reservedTokens: -tokens)
            let after = try LedgerBooks.apply(delta, budget: hold.budget, periodKey: hold.periodKey, db)
            if entry.amount > .zero, let budget = try budgets.budget(named: hold.budget, db),
                let alert = LedgerBooks.softAlert(
                    budget: budget, periodKey: hold.periodKey, before: after.spent - entry.amount, after: after.spent)
            {
                alerts.append(alert)
                try LedgerBooks.record(alert, at: date, db)
            }
        }
        return alerts
    }

    // MARK: - Checks

    static func check(amount: Money, tokens: Int, what: String) throws {
        guard amount >= .zero, tokens >= 0 else { throw LedgerError("a \(what) cannot be negative") }
        guard amount <= largestAmount, tokens <= largestTokens else {
            throw LedgerError(
                "a \(what) of \(amount) and \(tokens) tokens is too large (at most \(largestAmount) and \(largestTokens) tokens)")
        }
    }

    /// The row id inside a reservation id (`r42` → 42).
    static func rowID(of reservation: Reservation) throws -> Int64 {
        guard reservation.id.hasPrefix("r"), let id = Int64(reservation.id.dropFirst()), id > 0 else {
            throw LedgerError("reservation \(reservation.id) is not open (unknown id)")
        }
        return id
    }
}
