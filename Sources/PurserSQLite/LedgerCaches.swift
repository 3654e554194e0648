import Foundation
internal import GRDB
import Purser
import Synchronization

/// The budgets as last read, reused while `meta.budget_version` (bumped by every budget
/// change, in any process) stays the same: a reservation then reads one integer instead of
/// parsing every budget again. The version is read inside the caller's transaction, so what
/// it returns is exactly what the database holds at that moment.
final class BudgetCache: Sendable {
    private struct Snapshot {
        var version: Int64
        var budgets: [Budget]
        var byName: [String: Budget]
    }

    private let snapshot = Mutex<Snapshot?>(nil)

    /// Every budget, by name order.
    func budgets(_ db: Database) throws -> [Budget] {
        try current(db).budgets
    }

    /// The budget named `name`, if set.
    func budget(named name: String, _ db: Database) throws -> Budget? {
        try current(db).byName[name]
    }

    private func current(_ db: Database) throws -> Snapshot {
        let version = try Self.version(db)
        if let cached = snapshot.withLock({ $0 }), cached.version == version { return cached }
        let budgets = try StoredBudget.all(db)
        let fresh = Snapshot(
            version: version, budgets: budgets,
            byName: Dictionary(budgets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
        snapshot.withLock { $0 = fresh }
        return fresh
    }

    static func version(_ db: Database) throws -> Int64 {
        try RawStatement(db, "SELECT value FROM meta WHERE key = 'budget_version'").integers()?.first ?? 0
    }

    /// Marks the budgets changed; called in the same transaction as the change.
    static func bump(_ db: Database) throws {
        try db.execute(sql: "UPDATE meta SET value = value + 1 WHERE key = 'budget_version'")
    }
}

/// ``BudgetPeriod/key(at:runID:)`` for days and months, remembered per UTC day: the keys are
/// computed with a calendar, which costs more than the rest of a reservation's own work, and
/// every call of a day gets the same ones.
enum PeriodKeys {
    private static let cache = Mutex<[Int64: (day: String, month: String)]>([:])

    static func key(_ period: BudgetPeriod, at date: Date, runID: RunID) -> String {
        switch period {
        case .run: return period.key(at: date, runID: runID)
        case .day: return keys(at: date).day
        case .month: return keys(at: date).month
        }
    }

    private static func keys(at date: Date) -> (day: String, month: String) {
        let day = Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))
        if let known = cache.withLock({ $0[day] }) { return known }
        let computed = (
            day: BudgetPeriod.day.key(at: date, runID: RunID("")),
            month: BudgetPeriod.month.key(at: date, runID: RunID(""))
        )
        cache.withLock { cache in
            if cache.count > 64 { cache.removeAll() }
            cache[day] = computed
        }
        return computed
    }
}
