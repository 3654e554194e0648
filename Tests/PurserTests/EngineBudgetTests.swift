import Foundation
import Purser
import PurserTestKit
import Synchronization
import Testing

/// The engine under budgets: admission, and each per-call policy.
@Suite("Engine budgets")
struct EngineBudgetTests {
    /// $1/M in, $2/M out: a call of 10 prompt tokens with `maxOutputTokens(100)` reserves at most
    /// 10 + 200 = 210 µ$.
    let cheap = Tier.scripted("cheap", provider: "api", depth: .high, input: 1_000_000, output: 2_000_000)
    /// Four times the price.
    let dear = Tier.scripted("dear", provider: "api", depth: .high, input: 4_000_000, output: 8_000_000)

    static let answer = ScriptedProvider.text("ok", input: 10, output: 20)

    func engine(_ ledger: InMemoryLedger, tiers: [Tier]? = nil, clock: any PurserClock = SystemClock()) -> Engine {
        Engine(
            tiers: tiers ?? [cheap], providers: [ScriptedProvider(name: "api", fallback: Self.answer)], ledger: ledger,
            clock: clock)
    }

    static let twoCalls = Workflow("two-calls") {
        ModelStep("first", prompt: "x").maxOutputTokens(100)
        ModelStep("second", prompt: "y").maxOutputTokens(100)
    }

    /// Counts the budget reads the engine makes of the ledger it wraps.
    final class CountingLedger: Ledger {
        let base: InMemoryLedger
        let reads = Mutex(0)
        init(_ base: InMemoryLedger) { self.base = base }
        var enforcesCaps: Bool { base.enforcesCaps }
        func reserve(_ request: ReservationRequest) async throws -> Reservation { try await base.reserve(request) }
        func settle(_ reservation: Reservation, usage: TokenUsage, cost: Money) async throws -> [BudgetAlert] {
            try await base.settle(reservation, usage: usage, cost: cost)
        }
        func release(_ reservation: Reservation) async throws { try await base.release(reservation) }
        func budgets(forRun runID: RunID, workflow: String, tags: [String: String]) async throws -> [BudgetStatus] {
            reads.withLock { $0 += 1 }
            return await base.budgets(forRun: runID, workflow: workflow, tags: tags)
        }
    }

    @Test func theFirstRoutingDecisionUsesTheBudgetsReadAtAdmissionIfNoStepEndedBefore() async throws {
        let degrade = try Budget(scope: .global, period: .day, limit: Money(micros: 100_000), policy: .degrade)
        let ledger = CountingLedger(InMemoryLedger(budgets: [degrade]))
        let engine = Engine(
            tiers: [cheap], providers: [ScriptedProvider(name: "api", fallback: Self.answer)], ledger: ledger)
        let one = try await engine.run(try engine.compile(Workflow("one") { ModelStep("a", prompt: "x") }), input: [:])
        #expect(one.status == .succeeded)
        // Admission's read serves the first decision.
        #expect(ledger.reads.withLock { $0 } == 1)
        ledger.reads.withLock { $0 = 0 }
        let two = try await engine.run(try engine.compile(Self.twoCalls), input: [:])
        #expect(two.status == .succeeded)
        #expect(ledger.reads.withLock { $0 } == 2)
        // A first model call after a step that ended (here a tool) reads the ledger again.
        ledger.reads.withLock { $0 = 0 }
        let slowStart = Workflow("slow-start") {
            ToolStep("wait", tool: "sleep", arguments: ["milliseconds": 1])
            ModelStep("a", prompt: "x")
        }
        let sleeper = Engine(
            tiers: [cheap], providers: [ScriptedProvider(name: "api", fallback: Self.answer)],
            tools: [SleepTool()], ledger: ledger)
        let late = try await sleeper.run(try sleeper.compile(slowStart), input: [:])
        #expect(late.status == .succeeded, "\(String(describing: late.error))")
        #expect(ledger.reads.withLock { $0 } == 2)
    }

    @Test func aRunGivenItsBudgetsIsAdmittedOnThemWithoutReadingTheLedger() async throws {
        let reject = try Budget(scope: .global, period: .day, limit: Money(micros: 100_000), policy: .reject)
        let ledger = CountingLedger(InMemoryLedger(budgets: [reject]))
        let engine = Engine(
            tiers: [cheap], providers: [ScriptedProvider(name: "api", fallback: Self.answer)], ledger: ledger)
        let graph = try engine.compile(Workflow("one") { ModelStep("a", prompt: "x") })
        let runID = RunID("run_given")
        let fresh = BudgetStatus(budget: reject, periodKey: reject.period.key(at: Date(), runID: runID), spent: .zero, reserved: .zero,
            spentTokens: 0, reservedTokens: 0)
        let admitted = try await engine.run(graph, input: [:], options: RunOptions(runID: runID, budgets: [fresh]))
        #expect(admitted.status == .succeeded)
        // The given figures served admission and the first routing decision alike.
        #expect(ledger.reads.withLock { $0 } == 0)
        // And they are what admission judges by: figures saying the cap is spent refuse the run,
        // though the ledger itself has room.
        let spent = BudgetStatus(
            budget: reject, periodKey: fresh.periodKey, spent: Money(micros: 100_000), reserved: .zero, spentTokens: 0,
            reservedTokens: 0)
        let refusal = await #expect(throws: PurserError.self) {
            _ = try await engine.start(graph, input: [:], options: RunOptions(runID: RunID("run_refused"), budgets: [spent]))
        }
        #expect(refusal?.code == .budgetExceeded)
        #expect(ledger.reads.withLock { $0 } == 0)
    }

    /// Waits as long as it is told, on the real clock.
    struct SleepTool: Tool {
        var name: String { "sleep" }
        var description: String { "Waits." }
        var argumentsSchema: JSONSchema { .object(["milliseconds": .number()]) }
        func invoke(_ arguments: JSONValue) async throws -> JSONValue {
            try await Task.sleep(for: .milliseconds(Int(arguments["milliseconds"]?.numberValue ?? 0)))
            return "done"
        }
    }

    @Test func stopFailsTheStepThatDoesNotFitAndKeepsWhatFinished() async throws {
        // Room for one worst case (about 208 µ$ reserved, 50 µ$ charged) but not a second after it.
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 240), policy: .stop)])
        let engine = engine(ledger)
        let result = try await engine.run(try engine.compile(Self.twoCalls), input: [:], options: RunOptions(estimate: false))
        #expect(result.status == .failed)
        #expect(result.error?.code == .budgetExceeded)
        #expect(result.error?.stepKey == "second")
        #expect(result.error?.message.contains("global/day has 0.00019 left, the call needs up to 0.0002") == true)
        #expect(result.outputs["first"] == "ok")
        #expect(await ledger.openReservations.isEmpty)
        #expect(await ledger.spent == result.totals.cost)
    }

    @Test func degradeRoutesToACheaperTierThatFits() async throws {
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 500), policy: .degrade)])
        // "dear" is faster, so it is the choice when money is no object; two of its worst cases don't fit.
        var fast = dear
        fast.latency = LatencyModel(timeToFirstTokenP50: 0.01, timeToFirstTokenP95: 0.01, outputTokensPerSecond: 10_000)
        fast.pricing = cheap.pricing
        let engine = engine(ledger, tiers: [cheap, dear])
        let workflow = Workflow("one") { ModelStep("answer", prompt: "x").maxOutputTokens(100) }
        let result = try await engine.run(try engine.compile(workflow), input: [:], options: RunOptions(estimate: false))
        #expect(result.status == .succeeded)
        #expect(result.records.first?.tierID == "cheap")
        #expect(result.records.first?.decision?.spendingLimit == Money(micros: 500))

        // With less left than the cheapest worst case, degrade has nowhere to go.
        let poor = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 100), policy: .degrade)])
        let refused = try await self.engine(poor, tiers: [cheap, dear]).run(
            try engine.compile(workflow), input: [:], options: RunOptions(estimate: false))
        #expect(refused.error?.code == .budgetExceeded)
        #expect(refused.error?.message.contains("no tier's worst case fits the 0.0001 the budget has left") == true)
    }

    @Test func rejectRefusesARunWhoseEstimateDoesNotFitBeforeAnythingRuns() async throws {
        let budget = try Budget(scope: .workflow("two-calls"), period: .month, limit: Money(micros: 150), policy: .reject)
        let ledger = InMemoryLedger(budgets: [budget])
        let provider = ScriptedProvider(name: "api", fallback: Self.answer)
        let engine = Engine(tiers: [cheap], providers: [provider], ledger: ledger)
        await #expect {
            try await engine.run(try engine.compile(Self.twoCalls), input: [:])
        } throws: { error in
            guard let error = error as? PurserError else { return false }
            return error.code == .budgetExceeded && error.message.hasPrefix("run refused: its estimated cost (p95 ")
                && error.message.contains("does not fit the 0.00015 that workflow:two-calls/month has left")
        }
        #expect(provider.callCount == 0)
        #expect(await ledger.allEntries.isEmpty)
        // Another workflow is not under that budget.
        let other = Workflow("other") { ModelStep("a", prompt: "x").maxOutputTokens(100) }
        #expect(try await engine.run(try engine.compile(other), input: [:]).status == .succeeded)
    }

    @Test func rejectOnTheWorstCaseIsStricterThanOnTheP95() async throws {
        // The p95 of two short answers fits in 1,000 µ$; the worst case (two full 1,000-token answers) does not.
        let workflow = Workflow("long") {
            ModelStep("a", prompt: "x").maxOutputTokens(1_000)
            ModelStep("b", prompt: "y").maxOutputTokens(1_000)
        }
        let p95 = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 3_000), policy: .reject)])
        #expect(try await engine(p95).run(try engine(p95).compile(workflow), input: [:]).status == .succeeded)
        let worst = InMemoryLedger(budgets: [
            try Budget(scope: .global, period: .day, limit: Money(micros: 3_000), policy: .reject, admission: .worst)
        ])
        await #expect(throws: PurserError.self) {
            try await engine(worst).run(try engine(worst).compile(workflow), input: [:])
        }
    }

    @Test func pauseParksTheRunUntilTheCapIsRaisedThenGoesOn() async throws {
        let clock = ManualClock()
        let budget = try Budget(scope: .tag(key: "team", value: "support"), period: .day, limit: Money(micros: 240), policy: .pause)
        let ledger = InMemoryLedger(budgets: [budget], clock: clock)
        let engine = engine(ledger, clock: clock)
        let handle = try await engine.start(
            try engine.compile(Self.twoCalls), input: [:],
            options: RunOptions(
                tags: ["team": "support"], stepTimeout: nil, estimate: false, budgetPollInterval: .seconds(5)))
        // The second call does not fit: the run waits on the clock, looking every 5 s (the
        // scripted provider answers at once and no timeout is set, so the only sleeper is that).
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        try await clock.waitForSleepers(1)
        #expect(await ledger.openReservations.isEmpty)
        await ledger.setBudget(
            try Budget(scope: budget.scope, period: .day, limit: Money(micros: 1_000), policy: .pause))
        clock.advance(by: .seconds(5))
        let events = await handle.collectEvents()
        let result = await handle.result()
        #expect(result.status == .succeeded)
        #expect(result.outputs.keys.sorted() == ["first", "second"])
        #expect(events.contains { if case .runPaused(let key, let name, _) = $0 { key == "second" && name == "tag:team=support/day" } else { false } })
        #expect(events.contains(.runResumed(key: "second")))
        #expect(events.contains {
            if case .budgetAlert(let alert) = $0 {
                alert.kind == .hardCap && alert.periodKey == "2027-01-15" && alert.limit == Money(micros: 240)
            } else { false }
        })
    }

    @Test func aPausedRunCanBeCancelled() async throws {
        let clock = ManualClock()
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .day, limit: Money(micros: 240), policy: .pause)], clock: clock)
        let engine = engine(ledger, clock: clock)
        let handle = try await engine.start(
            try engine.compile(Self.twoCalls), input: [:], options: RunOptions(stepTimeout: nil, estimate: false))
        try await clock.waitForSleepers(1)
        handle.cancel()
        let result = await handle.result()
        #expect(result.status == .cancelled)
        #expect(result.outputs["first"] == "ok")
        #expect(await ledger.openReservations.isEmpty)
    }

    @Test func softThresholdsBecomeEvents() async throws {
        let ledger = InMemoryLedger(budgets: [
            try Budget(scope: .global, period: .day, limit: Money(micros: 1_000), softThresholdPercent: 5)
        ])
        let engine = engine(ledger)
        let handle = try await engine.start(try engine.compile(Self.twoCalls), input: [:], options: RunOptions(estimate: false))
        let events = await handle.collectEvents()
        let alerts = events.compactMap { event -> BudgetAlert? in
            if case .budgetAlert(let alert) = event { return alert }
            return nil
        }
        #expect(alerts.map(\.kind) == [.softThreshold])
        #expect(alerts.first?.message.contains("soft threshold 5%") == true)
    }

    @Test func aFailedCallTheProviderBilledIsSettledNotReleased() async throws {
        let ledger = InMemoryLedger()
        let billed = ProviderError(
            .connection, "stream cut off", billedUsage: TokenUsage(inputTokens: 10, outputTokens: 40))
        let provider = ScriptedProvider(name: "api", script: [.fail(billed)], fallback: Self.answer)
        let engine = Engine(tiers: [cheap], providers: [provider], ledger: ledger)
        let workflow = Workflow("billed") { ModelStep("a", prompt: "x").maxOutputTokens(100).retry(.none).fallback(maxTiers: 1) }
        let result = try await engine.run(try engine.compile(workflow), input: [:], options: RunOptions(estimate: false))
        #expect(result.status == .failed)
        // 10 in at $1/M + 40 out at $2/M = 90 µ$, charged although the call failed.
        #expect(await ledger.spent == Money(micros: 90))
        #expect(result.totals.cost == Money(micros: 90))
        #expect(result.records.first?.calls.first?.cost == Money(micros: 90))
        #expect(await ledger.allEntries.map(\.kind) == [.reserve, .settle])
        #expect(engine.tierHealth.first?.inFlight == 0)
    }

    @Test func aThousandRacingRunsNeverPassTheCap() async throws {
        let cap = Money(micros: 20_000)
        let ledger = InMemoryLedger(budgets: [try Budget(scope: .global, period: .month, limit: cap, policy: .stop)])
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], ledger: ledger)
        let graph = try engine.compile(Workflow("race") { ModelStep("answer", prompt: "Say something short").maxOutputTokens(64) })
        let statuses = await withTaskGroup(of: RunStatus.self) { group in
            for _ in 0..<1_000 {
                group.addTask { (try? await engine.run(graph, input: [:], options: RunOptions(estimate: false)).status) ?? .failed }
            }
            return await group.reduce(into: [RunStatus]()) { $0.append($1) }
        }
        #expect(statuses.count == 1_000)
        #expect(statuses.contains(.succeeded) && statuses.contains(.failed), "the cap must bind part-way")
        #expect(await ledger.spent <= cap)
        #expect(await ledger.openReservations.isEmpty)
        // Every reservation resolved exactly once.
        let entries = await ledger.allEntries
        let reserved = Set(entries.filter { $0.kind == .reserve }.map(\.reservationID))
        let resolved = entries.filter { $0.kind != .reserve }.map(\.reservationID)
        #expect(resolved.count == reserved.count && Set(resolved) == reserved)
    }
}
