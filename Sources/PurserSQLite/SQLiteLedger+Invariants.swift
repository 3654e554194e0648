import Foundation
internal import GRDB
import Purser

/// The ledger's invariants, checked from scratch on one consistent snapshot, for tests and
/// for an operator who doubts the books. Every write keeps them, so a snapshot taken at any
/// moment, even while other tasks and processes write, must pass.
extension SQLiteLedger {
    /// What is wrong with the books; empty when all is well:
    /// - every reservation (a reserve entry) has at most one settle or release entry, and is in
    ///   the open set exactly when it has none; every settle or release names a reservation;
    /// - every balance equals the sums of its entries: reserved = the amounts of open
    ///   reservations holding it, spent = settlements of reservations holding it plus adjustments;
    /// - no balance is negative;
    /// - no budget's current figures show spent above its limit (money or tokens).
    public func checkInvariants() throws -> [String] {
        try pool.read { db in
            let books = try Books(db)
            return books.resolutionProblems() + (try books.balanceProblems(db)) + (try Self.capProblems(db))
        }
    }

    /// Every reservation and entry, read once, with the checks that compare them.
    private struct Books {
        struct Reserved {
            var state: String
            var amount: Int64
            var tokens: Int64
            var holds: [(budget: String, periodKey: String)]?
            var resolutions: [String] = []
            var settledAmount: Int64 = 0
            var settledTokens: Int64 = 0
        }

        var reservations: [Int64: Reserved] = [:]
        var adjustments: [String: (amount: Int64, tokens: Int64)] = [:]
        var orphans = 0
        /// Open-set rows naming no reserve entry.
        var strays = 0

        init(_ db: Database) throws {
            let open = Set(try Int64.fetchAll(db, sql: "SELECT id FROM open_reservation"))
            let entries = try Row.fetchAll(
                db,
                sql: "SELECT kind, reservation_id, budget, period_key, amount_micros, tokens, id, holds, flag FROM entry ORDER BY id")
            for row in entries {
                let kind: String = row[0]
                let amount: Int64 = row[4]
                let tokens: Int64 = row[5]
                if kind == "reserve" {
                    let id: Int64 = row[6]
                    reservations[id] = Reserved(
                        state: open.contains(id) ? "open" : "closed", amount: amount, tokens: tokens,
                        holds: StoredText.holds(parsing: row[7]))
                    continue
                }
                if kind == "adjust" {
                    let key = "\(row[2] as String)@\(row[3] as String)"
                    adjustments[key, default: (0, 0)].amount += amount
                    adjustments[key, default: (0, 0)].tokens += tokens
                    continue
                }
                let id: Int64 = row[1]
                guard var reserved = reservations[id] else {
                    orphans += 1
                    continue
                }
                reserved.resolutions.append(kind)
                if kind == "settle" {
                    reserved.settledAmount += amount
                    reserved.settledTokens += tokens
                }
                reservations[id] = reserved
            }
            strays = open.subtracting(reservations.keys).count
        }

        /// Each reservation: one reserve entry, at most one resolution, and a state that agrees.
        func resolutionProblems() -> [String] {
            var problems: [String] = []
            for (id, reserved) in reservations.sorted(by: { $0.key < $1.key }) {
                if reserved.resolutions.count > 1 {
                    problems.append("reservation r\(id) was resolved \(reserved.resolutions.count) times")
                }
                if reserved.holds == nil { problems.append("reservation r\(id) has unreadable holds") }
                if (reserved.state == "open") != reserved.resolutions.isEmpty {
                    problems.append(
                        "reservation r\(id) is \(reserved.state) with \(reserved.resolutions.count) resolution entries")
                }
            }
            if orphans > 0 { problems.append("\(orphans) settle or release entries name no reservation") }
            if strays > 0 { problems.append("\(strays) open reservations have no reserve entry") }
            return problems
        }

        /// Each balance: what its entries sum to, and never negative.
        func balanceProblems(_ db: Database) throws -> [String] {
            let columns = ["spent_micros", "reserved_micros", "spent_tokens", "reserved_tokens"]
            var summed: [String: [Int64]] = [:]
            let zero = [Int64](repeating: 0, count: columns.count)
            for reserved in reservations.values {
                let open = reserved.state == "open"
                for hold in reserved.holds ?? [] {
                    let figures = [
                        reserved.settledAmount, open ? reserved.amount : 0, reserved.settledTokens, open ? reserved.tokens : 0,
                    ]
                    let key = "\(hold.budget)@\(hold.periodKey)"
                    summed[key] = zip(summed[key] ?? zero, figures).map { $0 + $1 }
                }
            }
            for (key, adjustment) in adjustments {
                summed[key] = zip(summed[key] ?? zero, [adjustment.amount, 0, adjustment.tokens, 0]).map { $0 + $1 }
            }
            var stored: [String: [Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT budget, period_key, \(columns.joined(separator: ", ")) FROM balance") {
                stored["\(row[0] as String)@\(row[1] as String)"] = (2..<6).map { row[$0] }
            }
            var problems: [String] = []
            for name in Set(stored.keys).union(summed.keys).sorted() {
                let have = stored[name] ?? zero
                let want = summed[name] ?? zero
                for (index, column) in columns.enumerated() {
                    if have[index] != want[index] {
                        problems.append("balance \(name) has \(column) \(have[index]), its entries sum to \(want[index])")
                    }
                    if have[index] < 0 { problems.append("balance \(name) has negative \(column) \(have[index])") }
                }
            }
            return problems
        }
    }

    private static func capProblems(_ db: Database) throws -> [String] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT b.name, x.period_key, b.limit_micros, b.token_limit, x.spent_micros, x.spent_tokens
                FROM budget b JOIN balance x ON x.budget = b.name
                WHERE (b.limit_micros IS NOT NULL AND x.spent_micros > b.limit_micros)
                   OR (b.token_limit IS NOT NULL AND x.spent_tokens > b.token_limit)
                """)
        return rows.map { row in
            let spent = Money(micros: row["spent_micros"])
            let limit = (row["limit_micros"] as Int64?).map { Money(micros: $0) }
            let tokens: Int = row["spent_tokens"]
            let tokenLimit: Int? = row["token_limit"]
            return "budget \(row["name"] as String) spent \(spent) and \(tokens) tokens in \(row["period_key"] as String), "
                + "past its limit \(limit.map(String.init(describing:)) ?? "-") / \(tokenLimit.map(String.init) ?? "-") tokens"
        }
    }
}

extension SQLiteLedger {
    /// Rows per table, so tests can see that a refused operation wrote nothing.
    func tableCounts() throws -> [String: Int] {
        try pool.read { db in
            var counts: [String: Int] = [:]
            for table in ["budget", "budget_change", "open_reservation", "entry", "balance", "alert", "run"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}
