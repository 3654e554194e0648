import Foundation
import Purser
import PurserTestKit
import Testing

/// The budget model's input checks, and the in-memory ledger's enforcement of it.
@Suite("Budgets")
struct BudgetTests {
    @Test(arguments: [
        ("global", BudgetScope.global), ("run", .run), ("workflow:support-triage", .workflow("support-triage")),
        ("tag:team=support", .tag(key: "team", value: "support")), ("tag:k=a=b", .tag(key: "k", value: "a=b")),
    ])
    func scopesParseAndPrintAsWritten(text: String, scope: BudgetScope) throws {
        #expect(try BudgetScope(parsing: text) == scope)
        #expect(scope.description == text)
    }

    @Test(arguments: [
        ("team", "unknown scope 'team'"), ("workflow:", "needs a workflow name"), ("tag:team", "must be tag:KEY=VALUE"),
        ("tag:=x", "must be tag:KEY=VALUE"), ("tag:team=", "must be tag:KEY=VALUE"), ("", "unknown scope ''"),
    ])
    func badScopesSayWhatAScopeLooksLike(text: String, problem: String) {
        #expect {
            try BudgetScope(parsing: text)
        } throws: { error in
            (error as? BudgetInputError)?.message.contains(problem) == true
        }
    }

    @Test func badBudgetsAreRefusedWithTheReason() {
        func problem(_ make: () throws -> Budget) -> String? {
            do {
                _ = try make()
                return nil
            } catch {
                return (error as? BudgetInputError)?.message ?? "\(error)"
            }
        }
        #expect(problem { try Budget(scope: .global, period: .month) }?.contains("needs a money limit") == true)
        #expect(problem { try Budget(scope: .global, period: .month, limit: .zero) }?.contains("more than zero") == true)
        #expect(problem { try Budget(scope: .global, period: .month, limit: Money(micros: -1)) }?.contains("more than zero") == true)
        #expect(problem { try Budget(scope: .global, period: .month, limit: Money(units: 2_000_000_000)) }?.contains("too large") == true)
        #expect(problem { try Budget(scope: .global, period: .month, tokenLimit: 0) }?.contains("token limit must be more than zero") == true)
        #expect(problem { try Budget(scope: .global, period: .month, limit: Money(units: 1), softThresholdPercent: 100) }?.contains("between 1% and 99%") == true)
        #expect(problem { try Budget(scope: .run, period: .day, limit: Money(units: 1)) }?.contains("its period is run") == true)
        #expect(problem { try Budget(scope: .global, period: .month, limit: Money(units: 1)) } == nil)
        #expect(throws: BudgetInputError.self) { try BudgetPolicy(parsing: "yolo") }
        #expect(throws: BudgetInputError.self) { try BudgetPeriod(parsing: "week") }
        #expect(throws: BudgetInputError.self) { try AdmissionBasis(parsing: "p50") }
    }

    @Test func periodsAreUTCCalendarDaysAndMonths() {
        let run = RunID("run_1")
        let lateOnTheLastDay = Date(timeIntervalSince1970: 1_798_761_599)  // 2026-12-31T23:59:59Z
        #expect(BudgetPeriod.day.key(at: lateOnTheLastDay, runID: run) == "2026-12-31")
        #expect(BudgetPeriod.month.key(at: lateOnTheLastDay, runID: run) == "2026-12")
        let nextSecond = lateOnTheLastDay.addingTimeInterval(1)
        #expect(BudgetPeriod.day.key(at: nextSecond, runID: run) == "2027-01-01")
        #expect(BudgetPeriod.month.key(at: nextSecond, runID: run) == "2027-01")
        #expect(BudgetPeriod.run.key(at: nextSecond, runID: run) == "run:run_1")
    }

    static func request(
        _ amount: Int64, run: String = "run_1", workflow: String = "wf", tags: [String: String] = [:], tokens: Int = 10
    ) -> ReservationRequest {
        ReservationRequest(
            runID: RunID(run), workflow: workflow, stepKey: "s", tierID: "t", tags: tags, amount: Money(micros: amount),
            tokens: tokens)
    }

    @Test func everyApplicableBudgetIsCheckedAndTheTightestRefuses() async throws {
        let ledger = InMemoryLedger(budgets: [
            try Budget(scope: .global, period: .month, limit: Money(micros: 1_000)),
            try Budget(scope: .tag(key: "team", value: "support"), period: .day, limit: Money(micros: 300), policy: .pause),
            try Budget(scope: .workflow("other"), period: .day, limit: Money(micros: 1)),
        ])
        let support = ["team": "support"]
        let held = try await ledger.reserve(Self.request(200, tags: support))
        // 100 left on the tag budget: 150 is refused whole, naming it; the global budget holds nothing more.
        await #expect {
            try await ledger.reserve(Self.request(150, tags: support))
        } throws: { error in
            guard let refusal = error as? BudgetExceededError else { return false }
            return refusal.budget == "tag:team=support/day" && refusal.policy == .pause
                && refusal.remaining == Money(micros: 100) && refusal.requested == Money(micros: 150)
                && refusal.description == "budget exceeded: tag:team=support/day has 0.0001 left, the call needs up to 0.00015"
        }
        // Runs without the tag only meet the global budget.
        _ = try await ledger.reserve(Self.request(700))
        let statuses = await ledger.budgets(forRun: RunID("run_1"), workflow: "wf", tags: support)
        #expect(statuses.map(\.budget.name) == ["global/month", "tag:team=support/day"])
        #expect(statuses.map(\.reserved) == [Money(micros: 900), Money(micros: 200)])
        try await ledger.settle(held, usage: TokenUsage(inputTokens: 5, outputTokens: 5), cost: Money(micros: 120))
        let after = await ledger.budgets(forRun: RunID("run_1"), workflow: "wf", tags: support)
        #expect(after.map(\.spent) == [Money(micros: 120), Money(micros: 120)])
        #expect(after.map(\.left) == [Money(micros: 180), Money(micros: 180)])
        #expect(await ledger.alerts.map(\.kind) == [.hardCap])
    }

    @Test func resolvingTwiceOrWithBadAmountsWritesNothing() async throws {
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 1_000))])
        await #expect(throws: LedgerError.self) { try await ledger.reserve(Self.request(-1)) }
        let held = try await ledger.reserve(Self.request(100))
        await #expect(throws: LedgerError.self) {
            try await ledger.settle(held, usage: .zero, cost: Money(micros: -5))
        }
        try await ledger.release(held)
        await #expect(throws: LedgerError.self) { try await ledger.release(held) }
        await #expect(throws: LedgerError.self) { try await ledger.settle(held, usage: .zero, cost: .zero) }
        #expect(await ledger.allEntries.map(\.kind) == [.reserve, .release])
        #expect(await ledger.budgets(forRun: RunID("run_1"), workflow: "wf", tags: [:]).first?.reserved == .zero)
    }

    @Test func aNewDayStartsFromZero() async throws {
        let clock = ManualClock(wall: Date(timeIntervalSince1970: 1_798_761_000))  // 2026-12-31T23:50:00Z
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 100))], clock: clock)
        let held = try await ledger.reserve(Self.request(100))
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(Self.request(1)) }
        clock.advance(by: .seconds(600))
        // The new day's budget is whole; the reservation made yesterday settles against yesterday.
        let today = try await ledger.reserve(Self.request(100))
        try await ledger.settle(held, usage: .zero, cost: Money(micros: 60))
        let statuses = await ledger.budgets(forRun: RunID("run_1"), workflow: "wf", tags: [:])
        #expect(statuses.first?.periodKey == "2027-01-01")
        #expect(statuses.first?.spent == .zero && statuses.first?.reserved == Money(micros: 100))
        try await ledger.release(today)
    }

    @Test func runBudgetsCapEachRunOnItsOwn() async throws {
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .run, period: .run, limit: Money(micros: 100))])
        _ = try await ledger.reserve(Self.request(100, run: "run_a"))
        _ = try await ledger.reserve(Self.request(100, run: "run_b"))
        await #expect(throws: BudgetExceededError.self) { try await ledger.reserve(Self.request(1, run: "run_a")) }
    }

    @Test func tokenLimitsRefuseToo() async throws {
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, tokenLimit: 1_000)])
        _ = try await ledger.reserve(Self.request(1, tokens: 900))
        await #expect {
            try await ledger.reserve(Self.request(1, tokens: 200))
        } throws: { error in
            (error as? BudgetExceededError)?.description == "budget exceeded: global/day has 100 tokens left, the call needs up to 200"
        }
    }

    @Test func crossingTheSoftThresholdRaisesOneAlert() async throws {
        let ledger = InMemoryLedger(budgets: [
            try Budget(scope: .global, period: .day, limit: Money(micros: 1_000), softThresholdPercent: 80)
        ])
        for cost: Int64 in [500, 299, 1, 100] {
            let held = try await ledger.reserve(Self.request(cost))
            try await ledger.settle(held, usage: .zero, cost: Money(micros: cost))
        }
        let alerts = await ledger.alerts
        #expect(alerts.count == 1)
        #expect(alerts.first?.kind == .softThreshold)
        #expect(alerts.first?.spent == Money(micros: 800))
        #expect(alerts.first?.message == "global/day has spent 0.0008 of 0.001 (soft threshold 80%)")

        // Names may hold any character a tag value can: the alert still finds its budget.
        let owner = BudgetScope.tag(key: "owner", value: "ops@example.com")
        let tagged = InMemoryLedger(budgets: [try Budget(scope: owner, period: .day, limit: Money(micros: 100), softThresholdPercent: 50)])
        let held = try await tagged.reserve(Self.request(60, tags: ["owner": "ops@example.com"]))
        let raised = try await tagged.settle(held, usage: .zero, cost: Money(micros: 60))
        #expect(raised.map(\.budget) == ["tag:owner=ops@example.com/day"])
    }
}
