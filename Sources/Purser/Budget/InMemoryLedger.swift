/// An append-only ledger in memory with at most one cap on everything it holds: it keeps
/// the reserve/settle/release discipline honest (each reservation resolved exactly once),
/// totals spend, and refuses a reservation that would take spend past `limit`.
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

    private var entries: [Entry] = []
    private var open: [String: Reservation] = [:]
    private var nextID = 1
    private var settledTotal = Money.zero
    private var settledTokens = 0
    private var reservedTotal = Money.zero
    /// The most that settled plus reserved money may reach; `nil` for no cap.
    public nonisolated let limit: Money?

    public init(limit: Money? = nil) {
        self.limit = limit
    }

    public nonisolated var enforcesCaps: Bool { limit != nil }

    public func headroom(for request: ReservationRequest) -> Money? {
        limit.map { max(.zero, $0 - settledTotal - reservedTotal) }
    }

    public func reserve(_ request: ReservationRequest) throws -> Reservation {
        guard request.amount >= .zero, request.tokens >= 0 else {
            throw LedgerError("a reservation cannot be negative")
        }
        if let left = headroom(for: request), request.amount > left {
            throw BudgetExceededError(cap: "the ledger's limit of \(limit ?? .zero)", remaining: left, requested: request.amount)
        }
        reservedTotal += request.amount
        let reservation = Reservation(id: "r\(nextID)", request: request)
        nextID += 1
        open[reservation.id] = reservation
        append(.reserve, reservation, amount: request.amount, tokens: request.tokens)
        return reservation
    }

    public func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) throws {
        guard open.removeValue(forKey: reservation.id) != nil else {
            throw LedgerError("reservation \(reservation.id) is not open (already resolved, or unknown)")
        }
        reservedTotal -= reservation.request.amount
        append(.settle, reservation, amount: cost, tokens: usage.totalTokens)
        settledTotal += cost
        settledTokens += usage.totalTokens
    }

    public func release(_ reservation: Reservation) throws {
        guard open.removeValue(forKey: reservation.id) != nil else {
            throw LedgerError("reservation \(reservation.id) is not open (already resolved, or unknown)")
        }
        reservedTotal -= reservation.request.amount
        append(.release, reservation, amount: .zero, tokens: 0)
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
    public var openReservations: [Reservation] { open.values.sorted { $0.id < $1.id } }
    /// Money settled so far.
    public var spent: Money { settledTotal }
    /// Tokens settled so far.
    public var spentTokens: Int { settledTokens }
}
