import Purser
import Synchronization

/// A ledger that adds, in front of the durable one, the caps callers put on single runs
/// (`POST /v1/runs {"budget": {"limit": "0.50"}}`).
///
/// Such a cap concerns one run in one process, so it is kept here in memory rather than as a
/// finance budget: a call of a capped run is first held against its run's cap, then reserved in
/// the durable ledger against finance's budgets, and the hold is dropped if that refuses. Its
/// settled spend follows the calls. After a restart the server sets the cap again with what
/// the run had already spent, read back from the ledger.
public final class RunCapLedger: Ledger, Sendable {
    private struct RunCap {
        var budget: Budget
        var spent: Money
        var spentTokens: Int
        var reserved: Money = .zero
        var reservedTokens: Int = 0
    }

    public let base: any Ledger
    private let caps = Mutex<[RunID: RunCap]>([:])
    /// Told how long each durable ledger operation took (the server's metrics).
    private let observer = Mutex<Observer?>(nil)

    /// The observer closure in a struct of its own. Why: a bare closure stored in a `Mutex` is
    /// reabstracted on every `inout` access, and the write-back wraps it in two more thunks each
    /// time, so every ledger operation got slower than the last (and the chain grew without end).
    private struct Observer {
        let observe: @Sendable (String, Duration) -> Void
    }

    public init(base: any Ledger) {
        self.base = base
    }

    public var enforcesCaps: Bool { true }

    /// Reports the duration of every `reserve`, `settle` and `release` to `observe`.
    public func observe(_ observe: @escaping @Sendable (_ operation: String, _ took: Duration) -> Void) {
        observer.withLock { $0 = Observer(observe: observe) }
    }

    private func timed<T>(_ operation: String, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let took = ContinuousClock.now - start
            observer.withLock { $0 }?.observe(operation, took)
        }
        return try await body()
    }

    /// The name a run's own cap goes by in errors and statuses.
    public static func capName(_ runID: RunID) -> String { "request budget of run \(runID)" }

    /// Caps `runID` at `budget`'s limits (its scope must be `run`), counting `spent` and
    /// `spentTokens` as already used.
    public func setCap(_ budget: Budget, for runID: RunID, spent: Money = .zero, spentTokens: Int = 0) {
        caps.withLock { $0[runID] = RunCap(budget: budget, spent: spent, spentTokens: spentTokens) }
    }

    /// Forgets a run's cap once the run has ended.
    public func removeCap(for runID: RunID) {
        _ = caps.withLock { $0.removeValue(forKey: runID) }
    }

    public func reserve(_ request: ReservationRequest) async throws -> Reservation {
        try caps.withLock { caps throws(BudgetExceededError) in
            guard var cap = caps[request.runID] else { return }
            let left = cap.budget.limit.map { max(.zero, $0 - cap.spent - cap.reserved) }
            let tokensLeft = cap.budget.tokenLimit.map { max(0, $0 - cap.spentTokens - cap.reservedTokens) }
            if let left, request.amount > left {
                throw BudgetExceededError(
                    budget: Self.capName(request.runID), policy: cap.budget.policy, remaining: left,
                    requested: request.amount, requestedTokens: request.tokens)
            }
            if let tokensLeft, request.tokens > tokensLeft {
                throw BudgetExceededError(
                    budget: Self.capName(request.runID), policy: cap.budget.policy, remaining: nil,
                    requested: request.amount, remainingTokens: tokensLeft, requestedTokens: request.tokens)
            }
            cap.reserved += request.amount
            cap.reservedTokens += request.tokens
            caps[request.runID] = cap
        }
        do {
            return try await timed("reserve") { try await base.reserve(request) }
        } catch {
            unhold(request)
            throw error
        }
    }

    public func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) async throws -> [BudgetAlert] {
        let alerts = try await timed("settle") { try await base.settle(reservation, usage: usage, cost: cost) }
        unhold(reservation.request, charged: cost, tokens: usage.totalTokens)
        return alerts
    }

    @discardableResult
    public func settle(
        _ reservation: Reservation, usage: TokenUsage, cost: Money, journaling entry: JournalEntry,
        in journal: any Journal
    ) async throws -> [BudgetAlert] {
        let alerts = try await timed("settle") {
            try await base.settle(reservation, usage: usage, cost: cost, journaling: entry, in: journal)
        }
        unhold(reservation.request, charged: cost, tokens: usage.totalTokens)
        return alerts
    }

    public func release(_ reservation: Reservation) async throws {
        try await timed("release") { try await base.release(reservation) }
        unhold(reservation.request)
    }

    public func budgets(forRun runID: RunID, workflow: String, tags: [String: String]) async throws -> [BudgetStatus] {
        var statuses = try await base.budgets(forRun: runID, workflow: workflow, tags: tags)
        if let cap = caps.withLock({ $0[runID] }) {
            statuses.append(
                BudgetStatus(
                    budget: cap.budget, periodKey: runID.rawValue, spent: cap.spent, reserved: cap.reserved,
                    spentTokens: cap.spentTokens, reservedTokens: cap.reservedTokens))
        }
        return statuses
    }

    /// Drops a call's hold on its run's cap, counting what it was charged as spent.
    private func unhold(_ request: ReservationRequest, charged: Money = .zero, tokens: Int = 0) {
        caps.withLock { caps in
            guard var cap = caps[request.runID] else { return }
            cap.reserved -= request.amount
            cap.reservedTokens -= request.tokens
            cap.spent += charged
            cap.spentTokens += tokens
            caps[request.runID] = cap
        }
    }
}
