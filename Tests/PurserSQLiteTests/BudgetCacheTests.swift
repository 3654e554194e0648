import Foundation
internal import GRDB
import Purser
import Testing

@testable import PurserSQLite

/// The ledger reuses the budgets it last read while their version stays the same. Every way
/// the budgets can change has to reach the next reservation: a change by another process, a
/// change in this one; and a change that was rolled back must not, even though the cache
/// read it inside its transaction.
@Suite("Budget cache")
struct BudgetCacheTests {
    @Test func aCapAnotherProcessSetsStopsTheNextReservation() async throws {
        let fixture = try LedgerFixture()
        // Warm: the cache holds the budgets (none).
        let first = try await fixture.ledger.reserve(request(amount: 100))
        try await fixture.ledger.release(first)
        let other = try fixture.reopen()
        try other.setBudget(try budget(.global, .day, limit: 50), actor: "finance")
        await #expect(throws: BudgetExceededError.self) {
            _ = try await fixture.ledger.reserve(request(amount: 100))
        }
        // And lifted again by the other process: the next reservation fits.
        try other.removeBudget(scope: .global, period: .day, actor: "finance")
        _ = try await fixture.ledger.reserve(request(amount: 100))
    }

    @Test func aCapThisProcessSetsStopsTheNextReservation() async throws {
        let fixture = try LedgerFixture()
        _ = try await fixture.ledger.reserve(request(amount: 100))
        try fixture.ledger.setBudget(try budget(.global, .day, limit: 50), actor: "finance")
        await #expect(throws: BudgetExceededError.self) {
            _ = try await fixture.ledger.reserve(request(amount: 100))
        }
    }

    struct Abandoned: Error {}

    @Test func aCapWhoseTransactionRolledBackNeverApplies() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        _ = try await ledger.reserve(request(amount: 100))
        // A cap written and bumped, read through the cache in its own transaction, then
        // rolled back: the cache holds it, but it never existed.
        #expect(throws: Abandoned.self) {
            try ledger.writeImmediatelyNow { db in
                try db.execute(
                    sql: """
                        INSERT INTO budget (name, scope, period, limit_micros, policy, admission, updated_at_ms)
                        VALUES ('global/day', 'global', 'day', 1, 'stop', 'worst', 0)
                        """)
                try BudgetCache.bump(db)
                #expect(try ledger.budgetCache.budgets(db).count == 1)
                throw Abandoned()
            }
        }
        for _ in 0..<3 {
            let reservation = try await ledger.reserve(request(amount: 100))
            try await ledger.release(reservation)
        }
        #expect(try ledger.budgetStatuses().isEmpty)
    }
}
