/// An append-only ledger in memory, with no caps: it keeps the reserve/settle/release
/// discipline honest (each reservation resolved exactly once) and totals spend.
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

    public init() {}

    public func reserve(_ request: ReservationRequest) throws -> Reservation {
        guard request.amount >= .zero, request.tokens >= 0 else {
            throw LedgerError("a reservation cannot be negative")
        }
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
        append(.settle, reservation, amount: cost, tokens: usage.totalTokens)
        settledTotal += cost
        settledTokens += usage.totalTokens
    }

    public func release(_ reservation: Reservation) throws {
        guard open.removeValue(forKey: reservation.id) != nil else {
            throw LedgerError("reservation \(reservation.id) is not open (already resolved, or unknown)")
        }
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
