import Foundation
import Purser
import PurserTestKit
import Testing

/// The engine's use of the router: fallback after failures, escalation after rejected
/// answers, budget-aware choice, learned latency, open circuits and per-tier limits.
@Suite("Engine routing")
struct EngineRoutingTests {
    static let noRetry = RetryPolicy.none
    static let fastRetry = RetryPolicy(
        maxAttempts: 2, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(1), jitter: 0)

    /// Three tiers, cheapest first, each served by its own provider.
    let cheap = Tier.scripted("cheap", provider: "cheap-api", depth: .low, input: 100_000, output: 400_000)
    let middle = Tier.scripted("middle", provider: "middle-api", depth: .medium, input: 250_000, output: 2_000_000)
    let deep = Tier.scripted("deep", provider: "deep-api", depth: .high, input: 1_250_000, output: 10_000_000)

    func engine(
        cheap: ScriptedProvider, middle: ScriptedProvider, deep: ScriptedProvider,
        ledger: InMemoryLedger = InMemoryLedger(), clock: any PurserClock = SystemClock(),
        breaker: CircuitBreaker.Policy = CircuitBreaker.Policy()
    ) -> Engine {
        Engine(
            tiers: [self.cheap, self.middle, self.deep], providers: [cheap, middle, deep], ledger: ledger,
            clock: clock, circuitBreaker: breaker)
    }

    static func degrade(_ micros: Int64) throws -> Budget {
        try Budget(scope: .global, period: .month, limit: Money(micros: micros), policy: .degrade)
    }

    static func provider(_ name: String, _ steps: [ScriptedProvider.Step] = [], otherwise: ScriptedProvider.Step? = nil)
        -> ScriptedProvider
    {
        ScriptedProvider(name: name, script: steps, fallback: otherwise)
    }

    @Test func aTierThatFailsAfterItsRetriesHandsTheCallToTheNextCheapest() async throws {
        let failing = Self.provider("cheap-api", otherwise: .fail(ProviderError(.overloaded, "529 overloaded")))
        let middle = Self.provider("middle-api", [ScriptedProvider.text("from middle", input: 10, output: 5)])
        let deep = Self.provider("deep-api")
        let ledger = InMemoryLedger()
        let engine = engine(cheap: failing, middle: middle, deep: deep, ledger: ledger)
        let workflow = Workflow("fallback") { ModelStep("answer", prompt: "x").retry(Self.fastRetry) }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        let events = await handle.collectEvents()
        let result = await handle.result()

        #expect(result.status == .succeeded)
        #expect(result.output == "from middle")
        let record = try #require(result.records.first)
        #expect(record.tierID == "middle")
        #expect(record.calls.map(\.tierID) == ["cheap", "cheap", "middle"])
        #expect(record.calls.map(\.outcome) == [.failed, .failed, .succeeded])
        #expect(record.calls[0].error?.message == "overloaded: 529 overloaded")
        #expect(record.attempts == 3)
        let lost = try #require(record.decision?.rejected.first { $0.tierID == "cheap" })
        #expect(lost.reason == .failed)
        #expect(record.decision?.rejected.first { $0.tierID == "deep" }?.reason == .tooDear)
        #expect(events.contains(.stepRerouted(key: "answer", from: lost, toTierID: "middle")))
        #expect(deep.callCount == 0)
        // Only the answer is charged; every reservation was resolved.
        #expect(await ledger.openReservations.isEmpty)
        #expect(await ledger.spent == record.cost)
    }

    @Test func fallbackStopsAtTheStepsTierBoundAndSaysWhatWasTried() async throws {
        let down = ScriptedProvider.Step.fail(ProviderError(.serverError, "500"))
        let engine = engine(
            cheap: Self.provider("cheap-api", otherwise: down), middle: Self.provider("middle-api", otherwise: down),
            deep: Self.provider("deep-api", otherwise: ScriptedProvider.text("never")))
        let workflow = Workflow("bounded") { ModelStep("answer", prompt: "x").retry(Self.noRetry).fallback(maxTiers: 2) }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .failed)
        #expect(result.error?.code == .providerFailure)
        #expect(result.records.first?.calls.map(\.tierID) == ["cheap", "middle"])

        let once = Workflow("once") { ModelStep("answer", prompt: "x").retry(Self.noRetry).fallback(maxTiers: 1) }
        let single = try await engine.run(try engine.compile(once), input: [:])
        #expect(single.records.first?.calls.map(\.tierID) == ["cheap"])
        #expect(single.error?.message == "serverError: 500")
    }

    @Test func whenEveryTierFailsTheErrorListsThemAll() async throws {
        let down = ScriptedProvider.Step.fail(ProviderError(.serverError, "500"))
        let engine = engine(
            cheap: Self.provider("cheap-api", otherwise: down), middle: Self.provider("middle-api", otherwise: down),
            deep: Self.provider("deep-api", otherwise: down))
        let workflow = Workflow("all-down") { ModelStep("answer", prompt: "x").retry(Self.noRetry).fallback(maxTiers: 5) }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.records.first?.calls.map(\.tierID) == ["cheap", "middle", "deep"])
        let message = try #require(result.error?.message)
        #expect(message.contains("no other tier can take over"))
        #expect(message.contains("cheap: failed") && message.contains("middle: failed") && message.contains("deep: failed"))
    }

    @Test func requestErrorsAndCancellationDoNotFallBack() async throws {
        let engine = engine(
            cheap: Self.provider("cheap-api", otherwise: .fail(ProviderError(.invalidRequest, "bad schema"))),
            middle: Self.provider("middle-api", otherwise: ScriptedProvider.text("x")),
            deep: Self.provider("deep-api"))
        let workflow = Workflow("bad") { ModelStep("answer", prompt: "x").retry(Self.noRetry) }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        // An invalid request is still worth another tier (another API may accept it) ...
        #expect(result.records.first?.calls.map(\.tierID) == ["cheap", "middle"])
        // ... but says nothing about the cheap tier's health.
        #expect(engine.tierHealth[0].failures == 0)
    }

    @Test func anAnswerThatFailsTheValidatorEscalatesToADeeperTier() async throws {
        let cheap = Self.provider("cheap-api", [ScriptedProvider.text(#"{"total": 10, "sum": 9}"#)])
        let middle = Self.provider("middle-api", [ScriptedProvider.text(#"{"total": 10, "sum": 8}"#)])
        let deep = Self.provider("deep-api", [ScriptedProvider.text(#"{"total": 10, "sum": 10}"#)])
        let engine = engine(cheap: cheap, middle: middle, deep: deep)
        let workflow = Workflow("cascade") {
            ModelStep("extract", prompt: "x")
                .output(.object(["total": .number(), "sum": .number()]))
                .validate("totals add up") { output in
                    output["total"] == output["sum"]
                        ? nil : "sum \(output["sum"]?.compactJSON ?? "-") ≠ total \(output["total"]?.compactJSON ?? "-")"
                }
        }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        let events = await handle.collectEvents()
        let result = await handle.result()
        #expect(result.status == .succeeded)
        #expect(result.output?["sum"] == 10)
        let record = try #require(result.records.first)
        #expect(record.calls.map(\.tierID) == ["cheap", "middle", "deep"])
        #expect(record.calls.map(\.outcome) == [.outputRejected, .outputRejected, .succeeded])
        // Every answer was paid for.
        #expect(record.cost == record.calls.reduce(Money.zero) { $0 + $1.cost })
        let reroutes = events.compactMap { event -> TierRejection? in
            if case .stepRerouted(_, let from, _) = event { return from }
            return nil
        }
        #expect(reroutes.map(\.reason) == [.outputRejected, .outputRejected])
        #expect(reroutes[0].detail.contains("totals add up: sum 9 ≠ total 10"))
        // Each escalation asked the next tier to think harder.
        #expect(middle.requests.first?.reasoningEffort == ReasoningDepth.medium)
        #expect(deep.requests.first?.reasoningEffort == ReasoningDepth.high)
        #expect(record.decision?.tierID == "deep")
    }

    @Test func escalationSkipsTiersNoDeeperThanTheOneThatFailed() async throws {
        // A second low tier, dearer than "cheap": escalation must not stop there.
        let sibling = Tier.scripted("cheap-2", provider: "middle-api", depth: .low, input: 150_000, output: 500_000)
        let cheap = Self.provider("cheap-api", [ScriptedProvider.text("no")])
        let other = Self.provider("middle-api", [ScriptedProvider.text("yes")])
        let deep = Self.provider("deep-api", [ScriptedProvider.text("yes")])
        let engine = Engine(tiers: [self.cheap, sibling, self.deep], providers: [cheap, other, deep])
        let workflow = Workflow("skip") {
            ModelStep("answer", prompt: "x").validate("says yes") { $0 == "yes" ? nil : "said \($0)" }
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.records.first?.calls.map(\.tierID) == ["cheap", "deep"])
        #expect(result.output == "yes")
    }

    @Test func aValidatorNoTierSatisfiesFailsTheStepAfterTheDeepestTier() async throws {
        let no = ScriptedProvider.text("no")
        let engine = engine(
            cheap: Self.provider("cheap-api", otherwise: no), middle: Self.provider("middle-api", otherwise: no),
            deep: Self.provider("deep-api", otherwise: no))
        let workflow = Workflow("never") {
            ModelStep("answer", prompt: "x").fallback(maxTiers: 5).validate(schema: .object(["ok": .boolean()]))
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .failed)
        #expect(result.error?.code == .invalidModelOutput)
        #expect(result.error?.message.contains("cheap, middle, deep") == true)
        #expect(result.records.first?.calls.count == 3)
    }

    @Test func answersThatKeepBreakingTheSchemaEscalateToo() async throws {
        let engine = engine(
            cheap: Self.provider("cheap-api", otherwise: ScriptedProvider.text("not json")),
            middle: Self.provider("middle-api", [ScriptedProvider.text(#"{"ok": true}"#)]),
            deep: Self.provider("deep-api"))
        let workflow = Workflow("schema") {
            ModelStep("answer", prompt: "x").output(.object(["ok": .boolean()])).retry(Self.fastRetry)
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded)
        #expect(result.records.first?.calls.map(\.tierID) == ["cheap", "cheap", "middle"])
    }

    @Test func theBudgetLeftSteersTheCallToATierWhoseWorstCaseFits() async throws {
        // The cheapest by expected cost has the largest worst case (dear output, long bound).
        let cheapInput = Tier.scripted("cheap-input", provider: "cheap-api", input: 100_000, output: 8_000_000)
        let cheapOutput = Tier.scripted("cheap-output", provider: "middle-api", input: 1_000_000, output: 2_000_000)
        let ledger = InMemoryLedger(budgets: [try Self.degrade(5_000)])
        let engine = Engine(
            tiers: [cheapInput, cheapOutput],
            providers: [
                Self.provider("cheap-api", otherwise: ScriptedProvider.text("a")),
                Self.provider("middle-api", otherwise: ScriptedProvider.text("b")),
            ], ledger: ledger)
        let workflow = Workflow("tight") { ModelStep("answer", prompt: "x").maxOutputTokens(1_000) }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded)
        let decision = try #require(result.records.first?.decision)
        #expect(decision.tierID == "cheap-output")
        #expect(decision.spendingLimit == Money(micros: 5_000))
        #expect(decision.rejected.map(\.reason) == [.overBudget])

        let broke = InMemoryLedger(budgets: [try Self.degrade(100)])
        let poor = Engine(tiers: [cheapInput, cheapOutput], providers: [Self.provider("cheap-api"), Self.provider("middle-api")], ledger: broke)
        let refused = try await poor.run(try poor.compile(workflow), input: [:])
        #expect(refused.status == .failed)
        #expect(refused.error?.code == .budgetExceeded)
        #expect(refused.error?.message.contains("fits the 0.0001 the budget has left") == true)
        #expect(await broke.allEntries.isEmpty)
    }

    @Test func repeatedFailuresOpenTheCircuitAndLaterRunsAvoidTheTierUntilAProbeSucceeds() async throws {
        let clock = ManualClock()
        let cheap = Self.provider(
            "cheap-api", [.fail(ProviderError(.serverError, "500")), .fail(ProviderError(.serverError, "500"))],
            otherwise: ScriptedProvider.text("cheap again"))
        let middle = Self.provider("middle-api", otherwise: ScriptedProvider.text("middle"))
        let engine = engine(
            cheap: cheap, middle: middle, deep: Self.provider("deep-api"), clock: clock,
            breaker: .init(failureThreshold: 2, cooldown: .seconds(60)))
        let graph = try engine.compile(Workflow("health") { ModelStep("answer", prompt: "x").retry(Self.noRetry) })

        for _ in 0..<2 { _ = try await engine.run(graph, input: [:]) }
        #expect(cheap.callCount == 2)
        #expect(engine.tierHealth[0].circuit == .open(consecutiveFailures: 2, retryInSeconds: 60))
        // While open, calls go straight to the next tier and say why.
        let avoided = try await engine.run(graph, input: [:])
        #expect(cheap.callCount == 2)
        #expect(avoided.records.first?.tierID == "middle")
        #expect(avoided.records.first?.decision?.rejected.first?.reason == .unhealthy)
        // After the cool-down one call probes the tier; its success closes the circuit.
        clock.advance(by: .seconds(60))
        let probe = try await engine.run(graph, input: [:])
        #expect(probe.records.first?.tierID == "cheap")
        #expect(engine.tierHealth[0].circuit == .closed)
    }

    @Test func observedLatencyMovesInteractiveStepsOffATierThatTurnedOutSlow() async throws {
        let clock = ManualClock()
        // "cheap" claims 0.1 s to first token; its calls take 3 s.
        let slowAnswer = ModelResponse(
            text: "late", usage: TokenUsage(inputTokens: 10, outputTokens: 20), timeToFirstToken: 3)
        let cheap = Self.provider("cheap-api", otherwise: .respond(slowAnswer))
        let middle = Self.provider("middle-api", otherwise: ScriptedProvider.text("on time"))
        let engine = engine(cheap: cheap, middle: middle, deep: Self.provider("deep-api"), clock: clock)
        let graph = try engine.compile(
            Workflow("learn") { ModelStep("answer", prompt: "x").needs(latency: .interactive).maxOutputTokens(100) })
        for _ in 0..<LatencyLearner.minimumSamples {
            let result = try await engine.run(graph, input: [:])
            #expect(result.records.first?.tierID == "cheap")
        }
        let learned = try #require(engine.tierHealth[0].learnedLatency)
        #expect(learned.timeToFirstTokenP95 == 3)
        let after = try await engine.run(graph, input: [:])
        #expect(after.records.first?.tierID == "middle")
        #expect(after.records.first?.decision?.rejected.first { $0.tierID == "cheap" }?.reason == .tooSlow)
    }

    @Test func aTierAtItsConcurrencyLimitSpillsOverToTheNextCheapest() async throws {
        var limited = cheap
        limited.concurrencyLimit = 1
        let reply = ModelResponse(text: "ok", usage: TokenUsage(inputTokens: 1, outputTokens: 1))
        let cheap = Self.provider("cheap-api", otherwise: .delay(.milliseconds(300), reply))
        let middle = Self.provider("middle-api", otherwise: .delay(.milliseconds(300), reply))
        let engine = Engine(tiers: [limited, middle_], providers: [cheap, middle, Self.provider("deep-api")])
        let workflow = Workflow("spill") {
            Parallel {
                ModelStep("a", prompt: "x")
                ModelStep("b", prompt: "y")
            }
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded)
        #expect(Set(result.records.compactMap(\.tierID)) == ["cheap", "middle"])
        #expect(cheap.maxConcurrentCalls == 1)
    }

    var middle_: Tier { middle }
}
