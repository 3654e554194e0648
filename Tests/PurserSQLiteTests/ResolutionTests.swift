import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// Each reservation is resolved exactly once; bad inputs are refused and write nothing;
/// alerts are raised and kept; everything survives reopening the file.
@Suite("SQLiteLedger: resolution, inputs, alerts, persistence")
struct ResolutionTests {
    @Test func aReservationIsSettledOrReleasedExactlyOnce() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .day, limit: 1_000), actor: "finance")
        let settled = try await ledger.reserve(request(amount: 100))
        let released = try await ledger.reserve(request(amount: 100))
        let open = try await ledger.reserve(request(run: "run_mine", amount: 1))
        try await ledger.settle(settled, usage: .zero, cost: Money(micros: 40))
        try await ledger.release(released)
        let counts = try ledger.tableCounts()

        await #expect(throws: LedgerError.self) { try await ledger.settle(settled, usage: .zero, cost: .zero) }
        await #expect(throws: LedgerError.self) { try await ledger.release(settled) }
        await #expect(throws: LedgerError.self) { try await ledger.release(released) }
        await #expect(throws: LedgerError.self) { try await ledger.settle(released, usage: .zero, cost: .zero) }
        let unknown = Reservation(id: "r999", request: request(amount: 1))
        await #expect(throws: LedgerError.self) { try await ledger.release(unknown) }
        let malformed = Reservation(id: "x1", request: request(amount: 1))
        await #expect(throws: LedgerError.self) { try await ledger.release(malformed) }
        // Same id, another run: a reservation from some other ledger file, not this one.
        let foreign = Reservation(id: open.id, request: request(run: "run_other", amount: 1))
        await #expect(throws: LedgerError.self) { try await ledger.release(foreign) }
        #expect(try ledger.tableCounts() == counts)

        try await ledger.release(open)
        #expect(try ledger.budgetStatuses()[0].spent == Money(micros: 40))
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func racingSettlementsOfOneReservationResolveItOnce() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .day, limit: 10_000), actor: "finance")
        for _ in 0..<20 {
            let hold = try await ledger.reserve(request(amount: 100))
            let wins = await withTaskGroup(of: Bool.self) { group in
                for attempt in 0..<6 {
                    group.addTask {
                        do {
                            if attempt.isMultiple(of: 2) {
                                try await ledger.settle(hold, usage: .zero, cost: Money(micros: 10))
                            } else {
                                try await ledger.release(hold)
                            }
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins == 1)
        }
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func badInputsAreRefusedAndWriteNothing() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .day, limit: 1_000), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 100))
        let counts = try ledger.tableCounts()

        await #expect(throws: LedgerError.self) { try await ledger.reserve(request(amount: -1)) }
        await #expect(throws: LedgerError.self) { try await ledger.reserve(request(amount: 1, tokens: -1)) }
        await #expect(throws: LedgerError.self) {
            try await ledger.reserve(request(amount: SQLiteLedger.largestAmount.micros + 1))
        }
        await #expect(throws: LedgerError.self) { try await ledger.settle(hold, usage: .zero, cost: Money(micros: -5)) }
        await #expect(throws: LedgerError.self) {
            try await ledger.settle(hold, usage: TokenUsage(inputTokens: -10), cost: .zero)
        }

        var negative = try budget(.global, .month, limit: 100)
        negative.limit = Money(micros: -100)
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(negative, actor: "finance") }
        var zero = try budget(.global, .month, limit: 100)
        zero.limit = .zero
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(zero, actor: "finance") }
        var huge = try budget(.global, .month, limit: 100)
        huge.limit = Budget.largestLimit + Money(micros: 1)
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(huge, actor: "finance") }
        var runMonth = try budget(.run, .run, limit: 100)
        runMonth.period = .month
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(runMonth, actor: "finance") }
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(try budget(.global, .month, limit: 1), actor: "  ") }
        #expect(throws: BudgetInputError.self) { try ledger.setBudget(try budget(.workflow(""), .day, limit: 1), actor: "f") }
        #expect(throws: BudgetInputError.self) {
            try ledger.setBudget(try budget(.tag(key: "a=b", value: "c"), .day, limit: 1), actor: "f")
        }
        #expect(throws: BudgetInputError.self) {
            try ledger.removeBudget(scope: .workflow("nope"), period: .day, actor: "finance")
        }
        #expect(throws: BudgetInputError.self) {
            try ledger.adjust(scope: .global, period: .day, amount: Money(micros: -101), actor: "finance", reason: "x")
        }
        #expect(throws: BudgetInputError.self) {
            try ledger.adjust(scope: .tag(key: "a", value: "b"), period: .day, amount: Money(micros: 1), actor: "f", reason: "x")
        }
        #expect(try ledger.tableCounts() == counts)
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func crossingTheSoftThresholdAlertsOnceAndAHardCapIsRecorded() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .day, limit: 1_000, soft: 80), actor: "finance")
        func spend(_ micros: Int64) async throws -> [BudgetAlert] {
            let hold = try await ledger.reserve(request(amount: micros))
            return try await ledger.settle(hold, usage: .zero, cost: Money(micros: micros))
        }
        #expect(try await spend(700).isEmpty)
        let crossing = try await spend(150)
        #expect(crossing.map(\.kind) == [.softThreshold])
        #expect(crossing.first?.spent == Money(micros: 850))
        #expect(crossing.first?.message == "global/day has spent 0.00085 of 0.001 (soft threshold 80%)")
        #expect(try await spend(50).isEmpty)
        fixture.clock.advance(by: .seconds(60))
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 500)) }

        let stored = try ledger.alerts()
        #expect(stored.map(\.alert.kind) == [.softThreshold, .hardCap])
        #expect(stored[1].alert.budget == "global/day")
        #expect(stored[1].alert.spent == Money(micros: 900))
        #expect(stored[1].at == LedgerFixture.beforeMidnight.addingTimeInterval(60))
        #expect(try ledger.alerts(since: LedgerFixture.beforeMidnight.addingTimeInterval(30)).count == 1)
    }

    @Test func everythingSurvivesReopeningTheFile() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.tag(key: "team", value: "support"), .month, limit: 500, soft: 50), actor: "ana")
        let settled = try await ledger.reserve(request(tags: ["team": "support"], amount: 300))
        try await ledger.settle(settled, usage: TokenUsage(inputTokens: 9, outputTokens: 1), cost: Money(micros: 260))
        let open = try await ledger.reserve(request(tags: ["team": "support"], amount: 100))

        let reopened = try fixture.reopen()
        #expect(reopened.openingReconciliation.reconciled.isEmpty)  // this process is alive
        #expect(reopened.openingReconciliation.stillOpen == 1)
        let status = try #require(try reopened.budgetStatuses().first)
        #expect(status.spent == Money(micros: 260))
        #expect(status.reserved == Money(micros: 100))
        #expect(status.spentTokens == 10)
        #expect(try reopened.history().map(\.actor) == ["ana"])
        #expect(try reopened.alerts().map(\.alert.kind) == [.softThreshold])
        #expect(try reopened.openReservations() == [open])
        try await reopened.settle(open, usage: .zero, cost: Money(micros: 100))
        await #expect(throws: LedgerError.self) { try await ledger.release(open) }
        #expect(try ledger.budgetStatuses()[0].spent == Money(micros: 360))
        #expect(try reopened.checkInvariants() == [])
    }

    @Test func theFileIsInWALModeWithSynchronousNormal() throws {
        let ledger = try LedgerFixture().ledger
        #expect(try ledger.journalMode() == "wal")
        #expect(try ledger.synchronousMode() == "NORMAL")
        #expect(try ledger.pageSize() == 1024)
        let directory = try TemporaryDirectory()
        let full = try SQLiteLedger(
            path: directory.url.appendingPathComponent("full.db").path, options: .init(synchronous: .full))
        #expect(try full.synchronousMode() == "FULL")
    }

    @Test func entriesCannotBeChangedOrDeleted() async throws {
        let ledger = try LedgerFixture().ledger
        let hold = try await ledger.reserve(request(amount: 5))
        try await ledger.settle(hold, usage: .zero, cost: Money(micros: 5))
        #expect(throws: (any Error).self) {
            try ledger.pool.write { try $0.execute(sql: "UPDATE entry SET amount_micros = 0") }
        }
        #expect(throws: (any Error).self) { try ledger.pool.write { try $0.execute(sql: "DELETE FROM entry") } }
        #expect(try ledger.totalSettled() == Money(micros: 5))
    }
}
