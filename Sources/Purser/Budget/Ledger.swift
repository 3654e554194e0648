/// Where money is reserved before a call and settled after it.
///
/// The engine reserves a call's worst case first, calls the model, then settles what the
/// provider reported and releases the rest; every reservation is resolved exactly once.
/// The in-memory ledger here enforces no caps; the durable, cap-enforcing ledger lives in
/// `PurserSQLite`.
///
/// ## Usage
///
/// ```swift
/// let ledger = InMemoryLedger()
/// let engine = Engine(ledger: ledger)
/// _ = try await engine.run(graph, input: input)
/// print(await ledger.spent)                       // what was settled
/// assert(await ledger.openReservations.isEmpty)   // nothing left on hold
/// ```
///
/// An implementation throws from ``reserve(_:)`` to refuse a call (a cap it would break); the
/// engine then fails the step without calling the model.
public protocol Ledger: Sendable {
    /// Reserves `request.amount`; throws when a cap cannot cover it.
    func reserve(_ request: ReservationRequest) async throws -> Reservation
    /// Records the actual charge for a reservation and frees the rest of it.
    func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) async throws
    /// Frees a reservation whose call charged nothing.
    func release(_ reservation: Reservation) async throws

    /// The most a reservation for `request`'s run, workflow and tags could hold now: what the
    /// tightest cap that applies has left; `nil` when no cap applies. The router uses it to
    /// choose a tier whose worst case fits, rather than one the ledger would refuse.
    func headroom(for request: ReservationRequest) async throws -> Money?

    /// False for ledgers that enforce no caps, so the engine skips asking for headroom.
    var enforcesCaps: Bool { get }
}

extension Ledger {
    public func headroom(for request: ReservationRequest) async throws -> Money? { nil }
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

/// A reservation the budget cannot cover: which cap, what it had left, what was asked.
public struct BudgetExceededError: Error, Sendable, Hashable, CustomStringConvertible {
    public var cap: String
    public var remaining: Money
    public var requested: Money

    public init(cap: String, remaining: Money, requested: Money) {
        self.cap = cap
        self.remaining = remaining
        self.requested = requested
    }

    public var description: String {
        "budget exceeded: \(cap) has \(remaining) left, the call needs up to \(requested)"
    }
}

/// A ledger operation that cannot be done.
public struct LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
