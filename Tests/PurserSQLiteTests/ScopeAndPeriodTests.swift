import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// Which budgets a reservation counts against, and when their periods start again.
@Suite("SQLiteLedger: scopes and periods")
struct ScopeAndPeriodTests {
    @Test func aDayCapStartsAgainAtUTCMidnight() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .day, limit: 100), actor: "finance")
        let first = try await ledger.reserve(request(amount: 60))
        try await ledger.settle(first, usage: TokenUsage(inputTokens: 10), cost: Money(micros: 60))
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 41)) }
        fixture.clock.advance(by: .seconds(29 * 60))  // 23:59, still the 30th
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 41)) }
        fixture.clock.advance(by: .seconds(60))  // 00:00 on the 1st
        let next = try await ledger.reserve(request(amount: 100))
        try await ledger.release(next)
        let statuses = try ledger.budgetStatuses()
        #expect(statuses.map(\.periodKey) == ["2026-12-01"])
        let yesterday = try ledger.budgetStatuses(at: LedgerFixture.beforeMidnight)
        #expect(yesterday.first?.periodKey == "2026-11-30")
        #expect(yesterday.first?.spent == Money(micros: 60))
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func aMonthCapStartsAgainWhenTheMonthEnds() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .month, limit: 100), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 90))
        try await ledger.settle(hold, usage: .zero, cost: Money(micros: 90))
        fixture.clock.advance(by: .seconds(20 * 60))
        let refusal = await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 11)) }
        #expect(refusal?.remaining == Money(micros: 10))
        fixture.clock.advance(by: .seconds(11 * 60))  // 00:01 on December 1st
        _ = try await ledger.reserve(request(amount: 100))
        #expect(try ledger.budgetStatuses().first?.periodKey == "2026-12")
        #expect(try ledger.budgetStatuses().first?.reserved == Money(micros: 100))
    }

    @Test func aSettlementAfterMidnightLandsInThePeriodItWasReservedIn() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .day, limit: 100), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 70))
        fixture.clock.advance(by: .seconds(3600))
        try await ledger.settle(hold, usage: TokenUsage(outputTokens: 5), cost: Money(micros: 50))
        let before = try ledger.budgetStatuses(at: LedgerFixture.beforeMidnight)[0]
        #expect(before.spent == Money(micros: 50))
        #expect(before.reserved == .zero)
        let today = try ledger.budgetStatuses()[0]
        #expect(today.periodKey == "2026-12-01")
        #expect(today.spent == .zero)
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func workflowTagAndRunScopesApplyOnlyWhereTheySay() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.workflow("triage"), .day, limit: 100), actor: "finance")
        try ledger.setBudget(try budget(.tag(key: "team", value: "support"), .month, limit: 200), actor: "finance")
        try ledger.setBudget(try budget(.run, .run, limit: 50), actor: "finance")

        let applying = try await ledger.budgets(forRun: RunID("run_x"), workflow: "triage", tags: ["team": "support"])
        #expect(applying.map(\.budget.name) == ["run/run", "tag:team=support/month", "workflow:triage/day"])
        #expect(applying.map(\.periodKey) == ["run:run_x", "2026-11", "2026-11-30"])

        // The run cap is per run: run_a is full, run_b is not.
        _ = try await ledger.reserve(request(run: "run_a", workflow: "other", amount: 50))
        let perRun = await #expect(throws: BudgetExceededError.self) {
            try await ledger.reserve(request(run: "run_a", workflow: "other", amount: 1))
        }
        #expect(perRun?.budget == "run/run")
        _ = try await ledger.reserve(request(run: "run_b", workflow: "other", amount: 50))

        // The workflow cap counts only triage's calls.
        _ = try await ledger.reserve(request(run: "run_c", workflow: "triage", amount: 50))
        _ = try await ledger.reserve(request(run: "run_d", workflow: "triage", amount: 50))
        let byWorkflow = await #expect(throws: BudgetExceededError.self) {
            try await ledger.reserve(request(run: "run_e", workflow: "triage", amount: 1))
        }
        #expect(byWorkflow?.budget == "workflow:triage/day")
        _ = try await ledger.reserve(request(run: "run_f", workflow: "reports", amount: 50))

        // The tag cap counts only tagged calls.
        for run in ["run_g", "run_h", "run_i", "run_j"] {
            _ = try await ledger.reserve(request(run: run, workflow: "w", tags: ["team": "support"], amount: 50))
        }
        let byTag = await #expect(throws: BudgetExceededError.self) {
            try await ledger.reserve(request(run: "run_k", workflow: "w", tags: ["team": "support"], amount: 1))
        }
        #expect(byTag?.budget == "tag:team=support/month")
        _ = try await ledger.reserve(request(run: "run_l", workflow: "w", tags: ["team": "sales"], amount: 50))
        #expect(try ledger.checkInvariants() == [])
    }

    @Test func aRefusalNamesTheTightestBudgetWhatWasLeftAndWhatWasAsked() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .month, limit: 1_000, policy: .degrade), actor: "finance")
        try ledger.setBudget(try budget(.workflow("triage"), .day, limit: 300, policy: .pause), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 250))
        try await ledger.settle(hold, usage: .zero, cost: Money(micros: 200))
        let refusal = await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(request(amount: 900)) }
        #expect(refusal?.budget == "workflow:triage/day")
        #expect(refusal?.policy == .pause)
        #expect(refusal?.remaining == Money(micros: 100))
        #expect(refusal?.requested == Money(micros: 900))
        #expect(refusal?.description == "budget exceeded: workflow:triage/day has 0.0001 left, the call needs up to 0.0009")
        // Nothing was held against the budget that could have paid.
        #expect(try ledger.budgetStatuses().first { $0.budget.scope == .global }?.reserved == .zero)
    }

    @Test func aTokenCapRefusesByTokens() async throws {
        let ledger = try LedgerFixture().ledger
        try ledger.setBudget(try budget(.global, .day, tokens: 1_000), actor: "finance")
        let hold = try await ledger.reserve(request(amount: 5, tokens: 800))
        try await ledger.settle(hold, usage: TokenUsage(inputTokens: 300, outputTokens: 400), cost: Money(micros: 5))
        let refusal = await #expect(throws: BudgetExceededError.self) {
            try await ledger.reserve(request(amount: 5, tokens: 301))
        }
        #expect(refusal?.remaining == nil)
        #expect(refusal?.remainingTokens == 300)
        #expect(refusal?.requestedTokens == 301)
        _ = try await ledger.reserve(request(amount: 5, tokens: 300))
        #expect(try ledger.budgetStatuses()[0].tokensLeft == 0)
    }

    @Test func withoutBudgetsEverythingIsReservedAndNothingRefused() async throws {
        let ledger = try LedgerFixture().ledger
        #expect(ledger.enforcesCaps)
        let hold = try await ledger.reserve(request(amount: 1_000_000_000))
        try await ledger.settle(hold, usage: .zero, cost: Money(units: 900))
        #expect(try ledger.totalSettled() == Money(units: 900))
        #expect(try ledger.checkInvariants() == [])
    }
}
