/// Where money is reserved before a call and settled after it, against every budget that
/// applies.
///
/// The engine reserves a call's worst case first, calls the model, then settles what the
/// provider reported and releases the rest; every reservation is resolved exactly once. A
/// reservation is checked against every applicable budget at once and refused whole when any
/// cannot cover it, so spend never passes a cap however many calls race. `InMemoryLedger`
/// keeps this in memory; `PurserSQLite` keeps it durable and across processes.
///
/// ## Usage
///
/// ```swift
/// let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(units: 5))])
/// let engine = Engine(ledger: ledger)
/// _ = try await engine.run(graph, input: input)
/// print(await ledger.spent)                       // what was settled
/// assert(await ledger.openReservations.isEmpty)   // nothing left on hold
/// ```
///
/// An implementation throws ``BudgetExceededError`` from ``reserve(_:)`` to refuse a call; the
/// engine then acts on the refusing budget's ``BudgetPolicy``.
public protocol Ledger: Sendable {
    /// Reserves `request.amount` and `request.tokens` against every applicable budget; throws
    /// ``BudgetExceededError`` (naming the budget) when one cannot cover it, holding nothing.
    func reserve(_ request: ReservationRequest) async throws -> Reservation
    /// Records the actual charge for a reservation and frees the rest of it. Returns the alerts
    /// the charge raised (a soft threshold crossed).
    @discardableResult
    func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) async throws -> [BudgetAlert]
    /// Settles a call whose answer finishes its step, and journals the step: as one write
    /// where the ledger keeps `journal` too, so that no crash can leave the step charged but
    /// not journaled (a resumed run would call it and charge it again). The default settles,
    /// then records. When it throws, the reservation may or may not be settled.
    @discardableResult
    func settle(
        _ reservation: Reservation, usage: TokenUsage, cost: Money, journaling entry: JournalEntry,
        in journal: any Journal
    ) async throws -> [BudgetAlert]
    /// Frees a reservation whose call charged nothing.
    func release(_ reservation: Reservation) async throws

    /// The budgets that apply to a run of `workflow` with `tags`, with what their current
    /// periods have used: for admission, and for routing under `degrade`.
    func budgets(forRun runID: RunID, workflow: String, tags: [String: String]) async throws -> [BudgetStatus]

    /// False for ledgers that enforce no caps, so the engine skips asking about budgets.
    var enforcesCaps: Bool { get }
}

extension Ledger {
    @discardableResult
    public func settle(
        _ reservation: Reservation, usage: TokenUsage, cost: Money, journaling entry: JournalEntry,
        in journal: any Journal
    ) async throws -> [BudgetAlert] {
        let alerts = try await settle(reservation, usage: usage, cost: cost)
        try await journal.record(entry)
        return alerts
    }

    public var enforcesCaps: Bool { false }
}

/// What a call asks the ledger to hold for it.
public struct ReservationRequest: Sendable, Hashable, Codable {
    public var runID: RunID
    public var workflow: String
    public var stepKey: String
    public var tierID: String
    public var tags: [String: String]
    /// The call's worst-case cost.
    public var amount: Money
    /// The call's worst-case tokens (input plus max output).
    public var tokens: Int

    public init(
        runID: RunID, workflow: String, stepKey: String, tierID: String, tags: [String: String] = [:],
        amount: Money, tokens: Int
    ) {
        self.runID = runID
        self.workflow = workflow
        self.stepKey = stepKey
        self.tierID = tierID
        self.tags = tags
        self.amount = amount
        self.tokens = tokens
    }
}

/// A hold on money, to be settled or released exactly once.
public struct Reservation: Sendable, Hashable, Codable {
    public let id: String
    public let request: ReservationRequest

    public init(id: String, request: ReservationRequest) {
        self.id = id
        self.request = request
    }
}

/// A reservation a budget cannot cover: which budget, its policy, what it had left, what was asked.
public struct BudgetExceededError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The budget's name, `tag:team=support/month`.
    public var budget: String
    public var policy: BudgetPolicy
    /// Money the budget had left; `nil` when it was the token limit that refused.
    public var remaining: Money?
    public var requested: Money
    /// Tokens the budget had left; `nil` when it was the money limit that refused.
    public var remainingTokens: Int?
    public var requestedTokens: Int

    public init(
        budget: String, policy: BudgetPolicy, remaining: Money?, requested: Money, remainingTokens: Int? = nil,
        requestedTokens: Int = 0
    ) {
        self.budget = budget
        self.policy = policy
        self.remaining = remaining
        self.requested = requested
        self.remainingTokens = remainingTokens
        self.requestedTokens = requestedTokens
    }

    public var description: String {
        if let remaining {
            return "budget exceeded: \(budget) has \(remaining) left, the call needs up to \(requested)"
        }
        return "budget exceeded: \(budget) has \(remainingTokens ?? 0) tokens left, the call needs up to \(requestedTokens)"
    }
}

/// A ledger operation that cannot be done.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
