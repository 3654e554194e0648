import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// Finance's side: setting, replacing and removing caps, with every change in the audit log.
@Suite("SQLiteLedger: budget management")
struct BudgetAdminTests {
    @Test func everyChangeIsLoggedWithWhoWhenOldNewAndWhy() throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let first = try budget(.tag(key: "team", value: "support"), .month, limit: 500_000_000, soft: 80)
        let set = try ledger.setBudget(first, actor: "ana@finance", reason: "Q4 plan")
        #expect(set.old == nil)
        #expect(set.new == first)
        fixture.clock.advance(by: .seconds(90))
        let raised = try budget(.tag(key: "team", value: "support"), .month, limit: 750_000_000, policy: .pause)
        try ledger.setBudget(raised, actor: "bo@finance")
        fixture.clock.advance(by: .seconds(90))
        try ledger.removeBudget(scope: .tag(key: "team", value: "support"), period: .month, actor: "ana@finance", reason: "reorg")

        let history = try ledger.history()
        #expect(history.map(\.action) == [.set, .set, .remove])
        #expect(history.map(\.actor) == ["ana@finance", "bo@finance", "ana@finance"])
        #expect(history.map(\.reason) == ["Q4 plan", nil, "reorg"])
        #expect(history.map(\.budget) == Array(repeating: "tag:team=support/month", count: 3))
        #expect(history[1].old == first)
        #expect(history[1].new == raised)
        #expect(history[2].old == raised)
        #expect(history[2].new == nil)
        #expect(history[0].at == LedgerFixture.beforeMidnight)
        #expect(history[2].at == LedgerFixture.beforeMidnight.addingTimeInterval(180))
        #expect(history.map(\.id) == history.map(\.id).sorted())
        #expect(try ledger.budgetStatuses().isEmpty)
    }

    @Test func statusesListEveryBudgetWithItsCurrentPeriod() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .month, limit: 1_000), actor: "finance")
        try ledger.setBudget(try budget(.workflow("triage"), .day, limit: 400, tokens: 90), actor: "finance")
        try ledger.setBudget(try budget(.run, .run, limit: 300), actor: "finance")
        let hold = try await ledger.reserve(request(workflow: "triage", amount: 200, tokens: 50))
        try await ledger.settle(hold, usage: TokenUsage(inputTokens: 20, outputTokens: 10), cost: Money(micros: 150))
        _ = try await ledger.reserve(request(workflow: "triage", amount: 100, tokens: 10))

        let statuses = try ledger.budgetStatuses()
        #expect(statuses.map(\.budget.name) == ["global/month", "run/run", "workflow:triage/day"])
        #expect(statuses.map(\.periodKey) == ["2026-11", "run", "2026-11-30"])
        #expect(statuses.map(\.spent) == [Money(micros: 150), .zero, Money(micros: 150)])
        #expect(statuses.map(\.reserved) == [Money(micros: 100), .zero, Money(micros: 100)])
        #expect(statuses[2].left == Money(micros: 150))
        #expect(statuses[2].tokensLeft == 50)
        #expect(try ledger.budget(scope: .workflow("triage"), period: .day)?.tokenLimit == 90)
    }

    @Test func aRemovedBudgetStopsApplyingAndKeepsItsSpendWhenSetAgain() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .day, limit: 100), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 100))
        try await ledger.settle(hold, usage: .zero, cost: Money(micros: 100))
        try ledger.removeBudget(scope: .global, period: .day, actor: "finance")
        _ = try await ledger.reserve(request(amount: 500))
        try ledger.setBudget(try budget(.global, .day, limit: 150), actor: "finance")
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 51)) }
        _ = try await ledger.reserve(request(amount: 50))
    }

    @Test func anAdjustmentCorrectsSpendWithAnEntry() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .month, limit: 1_000), actor: "finance")
        try ledger.adjust(scope: .global, period: .month, amount: Money(micros: 300), actor: "finance", reason: "invoice 17")
        try ledger.adjust(
            scope: .global, period: .month, amount: Money(micros: -100), tokens: 0, actor: "finance", reason: "refund")
        #expect(try ledger.budgetStatuses()[0].spent == Money(micros: 200))
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 801)) }
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func groupingsParseAsTheCLIWritesThem() throws {
        #expect(try SpendGrouping(parsing: "workflow") == .workflow)
        #expect(try SpendGrouping(parsing: "tag") == .tag(key: nil))
        #expect(try SpendGrouping(parsing: "tag:team") == .tag(key: "team"))
        #expect(try SpendGrouping(parsing: "tier") == .tier)
        #expect(try SpendGrouping(parsing: "day") == .day)
        #expect(throws: BudgetInputError.self) { try SpendGrouping(parsing: "month") }
        #expect(throws: BudgetInputError.self) { try SpendGrouping(parsing: "tag:") }
    }
}
