import Foundation

/// An append-only ledger in memory that enforces budgets: it keeps the reserve/settle/release
/// discipline honest (each reservation resolved exactly once), checks every reservation
/// against every applicable budget at once, and totals spend. What it holds is gone with the
/// process; `PurserSQLite` is the durable one.
public actor InMemoryLedger: Ledger {
    public enum EntryKind: String, Sendable, Hashable, Codable {
        case reserve, settle, release
    }

    public struct Entry: Sendable, Hashable, Codable {
        public let sequence: Int
        public let kind: EntryKind
        public let reservationID: String
        public let runID: RunID
        public let stepKey: String
        public let amount: Money
        public let tokens: Int
    }

    /// What one budget's period has used.
    private struct Balance {
        var spent = Money.zero
        var reserved = Money.zero
        var spentTokens = 0
        var reservedTokens = 0
    }

    /// One budget's figures for one period (`global/day` on `2026-11-29`).
    private struct BalanceKey: Hashable {
        var budget: String
        var periodKey: String
    }

    /// An open reservation and the budget periods it holds money in.
    private struct Hold {
        var reservation: Reservation
        var balances: [BalanceKey]
    }

    private var entries: [Entry] = []
    private var open: [String: Hold] = [:]
    private var nextID = 1
    private var settledTotal = Money.zero
    private var settledTokens = 0
    private var budgetsByName: [String: Budget] = [:]
    private var balances: [BalanceKey: Balance] = [:]
    private var raisedAlerts: [BudgetAlert] = []
    private let clock: any PurserClock

    /// - Parameters:
    ///   - budgets: caps to enforce; none enforces nothing.
    ///   - clock: what decides which day and month a call falls in.
    public init(budgets: [Budget] = [], clock: any PurserClock = SystemClock()) {
        self.clock = clock
        for budget in budgets { budgetsByName[budget.name] = budget }
        enforcesCaps = !budgets.isEmpty
    }

    public nonisolated let enforcesCaps: Bool

    /// Sets (or replaces) the budget for its scope and period. A ledger made without budgets
    /// enforces none, whatever is set later.
    public func setBudget(_ budget: Budget) {
        budgetsByName[budget.name] = budget
    }

    public func removeBudget(scope: BudgetScope, period: BudgetPeriod) {
        budgetsByName["\(scope)/\(period.rawValue)"] = nil
    }

    public func budgets(forRun runID: RunID, workflow: String, tags: [String: String]) -> [BudgetStatus] {
        let now = clock.wallNow()
        return applicable(workflow: workflow, tags: tags).map { budget in
            let periodKey = budget.period.key(at: now, runID: runID)
            let balance = balances[BalanceKey(budget: budget.name, periodKey: periodKey)] ?? Balance()
            return BudgetStatus(
                budget: budget, periodKey: periodKey, spent: balance.spent, reserved: balance.reserved,
                spentTokens: balance.spentTokens, reservedTokens: balance.reservedTokens)
        }
    }

    public func reserve(_ request: ReservationRequest) throws -> Reservation {
        guard request.amount >= .zero, request.tokens >= 0 else {
            throw LedgerError("a reservation cannot be negative")
        }
        let statuses = budgets(forRun: request.runID, workflow: request.workflow, tags: request.tags)
        // The budget that refuses is the one with the least left, so the error names the tightest.
        let refusing = statuses.filter { !$0.fits(amount: request.amount, tokens: request.tokens) }
            .min { ($0.left ?? .zero, $0.budget.name) < ($1.left ?? .zero, $1.budget.name) }
        if let refusing {
            raisedAlerts.append(
                BudgetAlert(
                    kind: .hardCap, budget: refusing.budget.name, periodKey: refusing.periodKey,
                    spent: refusing.spent, limit: refusing.budget.limit,
                    message: "\(refusing.budget.name) refused a call of up to \(request.amount)"))
            throw BudgetExceededError(
                budget: refusing.budget.name, policy: refusing.budget.policy, remaining: refusing.left,
                requested: request.amount, remainingTokens: refusing.tokensLeft, requestedTokens: request.tokens)
        }
        let keys = statuses.map { BalanceKey(budget: $0.budget.name, periodKey: $0.periodKey) }
        for key in keys {
            balances[key, default: Balance()].reserved += request.amount
            balances[key, default: Balance()].reservedTokens += request.tokens
        }
        let reservation = Reservation(id: "r\(nextID)", request: request)
        nextID += 1
        open[reservation.id] = Hold(reservation: reservation, balances: keys)
        append(.reserve, reservation, amount: request.amount, tokens: request.tokens)
        return reservation
    }

    @discardableResult
    public func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) throws -> [BudgetAlert] {
        guard cost >= .zero else { throw LedgerError("a charge cannot be negative") }
        guard let hold = open.removeValue(forKey: reservation.id) else {
            throw LedgerError("reservation \(reservation.id) is not open (already resolved, or unknown)")
        }
        var alerts: [BudgetAlert] = []
        for key in hold.balances {
            var balance = balances[key, default: Balance()]
            let before = balance.spent
            balance.reserved -= reservation.request.amount
            balance.reservedTokens -= reservation.request.tokens
            balance.spent += cost
            balance.spentTokens += usage.totalTokens
            balances[key] = balance
            if let budget = budgetsByName[key.budget],
                let alert = Self.softAlert(budget, periodKey: key.periodKey, before: before, after: balance.spent)
            {
                alerts.append(alert)
            }
        }
        append(.settle, reservation, amount: cost, tokens: usage.totalTokens)
        settledTotal += cost
        settledTokens += usage.totalTokens
        raisedAlerts += alerts
        return alerts
    }

    public func release(_ reservation: Reservation) throws {
        guard let hold = open.removeValue(forKey: reservation.id) else {
            throw LedgerError("reservation \(reservation.id) is not open (already resolved, or unknown)")
        }
        for key in hold.balances {
            balances[key, default: Balance()].reserved -= reservation.request.amount
            balances[key, default: Balance()].reservedTokens -= reservation.request.tokens
        }
        append(.release, reservation, amount: .zero, tokens: 0)
    }

    private func applicable(workflow: String, tags: [String: String]) -> [Budget] {
        budgetsByName.values.filter { $0.scope.applies(workflow: workflow, tags: tags) }.sorted { $0.name < $1.name }
    }

    /// The alert for a settlement that took a budget's spend across its soft threshold.
    private static func softAlert(_ budget: Budget, periodKey: String, before: Money, after: Money) -> BudgetAlert? {
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

    private func append(_ kind: EntryKind, _ reservation: Reservation, amount: Money, tokens: Int) {
        entries.append(
            Entry(
                sequence: entries.count + 1, kind: kind, reservationID: reservation.id,
                runID: reservation.request.runID, stepKey: reservation.request.stepKey, amount: amount, tokens: tokens))
    }

    /// Every entry, oldest first.
    public var allEntries: [Entry] { entries }
    /// Reservations not yet settled or released.
    public var openReservations: [Reservation] { open.values.map(\.reservation).sorted { $0.id < $1.id } }
    /// Money settled so far.
    public var spent: Money { settledTotal }
    /// Tokens settled so far.
    public var spentTokens: Int { settledTokens }
    /// Every alert raised so far, oldest first.
    public var alerts: [BudgetAlert] { raisedAlerts }
}
