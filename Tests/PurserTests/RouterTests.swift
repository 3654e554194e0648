import Foundation
import Purser
import PurserTestKit
import Testing

@Suite("Router")
struct RouterTests {
    let router = Router(tiers: SimulatorCatalog.tiers)

    func route(
        _ needs: StepNeeds, input: Int = 500, maxOutput: Int = 400, limit: Money? = nil,
        conditions: TierConditions = .nominal
    ) throws -> Route {
        try router.route(
            RouteRequest(needs: needs, inputTokens: input, maxOutputTokens: maxOutput, spendingLimit: limit),
            conditions: conditions)
    }

    func reasons(_ decision: RoutingDecision) -> [String: TierRejection.Reason] {
        Dictionary(uniqueKeysWithValues: decision.rejected.map { ($0.tierID, $0.reason) })
    }

    @Test func cheapestTierThatMeetsEachNeed() throws {
        #expect(try route(StepNeeds(latency: .interactive)).tier.id == "sim-nano")
        #expect(try route(StepNeeds(reasoning: .low)).tier.id == "sim-small-eu")
        #expect(try route(StepNeeds(reasoning: .low, jurisdictions: [.us])).tier.id == "sim-mini")
        #expect(try route(StepNeeds(reasoning: .high)).tier.id == "sim-frontier")
        #expect(try route(StepNeeds(reasoning: .high, jurisdictions: [.uk])).tier.id == "sim-large-uk")
        #expect(try route(StepNeeds(capabilities: [.json], jurisdictions: [.eu])).tier.id == "sim-small-eu")
    }

    @Test func batchStepsGoToHalfPriceBatchTiersAndNothingElseDoes() throws {
        let batch = try route(StepNeeds(latency: .batch, reasoning: .low))
        #expect(batch.tier.id == "sim-small-eu-batch")
        #expect(batch.tier.batch)
        let standard = try route(StepNeeds(latency: .standard, reasoning: .low))
        #expect(standard.tier.id == "sim-small-eu")
        #expect(reasons(standard.decision)["sim-small-eu-batch"] == .tooSlow)
        // Half the real-time tier's price for the same call.
        #expect(batch.decision.expectedCost.micros * 2 <= standard.decision.expectedCost.micros + 1)
        #expect(try route(StepNeeds(latency: .batch, reasoning: .medium)).tier.id == "sim-mini-batch")
        // Even a generous explicit bound short of the batch window stays off batch tiers.
        #expect(try route(StepNeeds(latency: .p95(seconds: 3600), reasoning: .medium)).tier.id == "sim-mini")
    }

    @Test func theDecisionExplainsEveryOtherTier() throws {
        let decision = try route(StepNeeds(reasoning: .medium)).decision
        #expect(decision.tierID == "sim-mini")
        #expect(reasons(decision) == [
            "sim-nano": .tooShallow, "sim-small-eu": .tooShallow, "sim-small-eu-batch": .tooShallow,
            "sim-mini-batch": .tooSlow, "sim-large-uk": .tooDear, "sim-frontier": .tooDear,
        ])
        #expect(decision.expectedCost <= decision.worstCaseCost)
        // 500 in at $0.25/M + 400 out at $2/M = 125 + 800 = 925 µ$.
        #expect(decision.worstCaseCost == Money(micros: 925))
        #expect(decision.rejected.allSatisfy { !$0.detail.isEmpty })
    }

    @Test func everyConstraintRulesATierOutWithItsOwnReason() throws {
        let tier = Tier.scripted("only", depth: .medium, jurisdiction: .eu, ttft: 1.5, tokensPerSecond: 100, contextWindow: 10_000)
        let router = Router(tiers: [tier])
        func reason(_ needs: StepNeeds, input: Int = 100, maxOutput: Int = 100, limit: Money? = nil) -> TierRejection.Reason? {
            do {
                _ = try router.route(
                    RouteRequest(needs: needs, inputTokens: input, maxOutputTokens: maxOutput, spendingLimit: limit))
                return nil
            } catch {
                return error.rejections.first?.reason
            }
        }
        #expect(reason(StepNeeds()) == nil)
        #expect(reason(StepNeeds(jurisdictions: [.us])) == .jurisdiction)
        #expect(reason(StepNeeds(reasoning: .high)) == .tooShallow)
        #expect(reason(StepNeeds(), input: 9_950) == .tooSmall)
        #expect(reason(StepNeeds(minimumContext: 9_900)) == .tooSmall)
        #expect(reason(StepNeeds(), maxOutput: 40_000) == .tooSmall)
        // 1.5 s to first token + 100 expected tokens at 100/s = 2.5 s > 2 s.
        #expect(reason(StepNeeds(latency: .interactive)) == .tooSlow)
        #expect(reason(StepNeeds(latency: .p95(seconds: 2.5))) == nil)
        var noTools = tier
        noTools.capabilities = [.json]
        #expect(throws: NoTierError.self) {
            try Router(tiers: [noTools]).route(RouteRequest(needs: StepNeeds(capabilities: [.tools]), inputTokens: 1, maxOutputTokens: 1))
        }
        // 100 in at $1/M + 100 out at $2/M = 300 µ$ worst case.
        #expect(reason(StepNeeds(), limit: Money(micros: 299)) == .overBudget)
        #expect(reason(StepNeeds(), limit: Money(micros: 300)) == nil)
    }

    @Test func latencyIsCheckedAtTheP95OutputWhenHistoryKnowsIt() throws {
        let model = LatencyModel(timeToFirstTokenP50: 0.5, timeToFirstTokenP95: 1.0, outputTokensPerSecond: 100)
        // No output spread: the first token's p95 plus the expected output.
        #expect(model.p95Seconds(expectedOutputTokens: 100, p95OutputTokens: nil) == 2.0)
        #expect(model.p95Seconds(expectedOutputTokens: 100, p95OutputTokens: 100) == 2.0)
        // Spreads of 0.5 s (first token) and 0.5 s (50 more tokens) add in quadrature.
        let spread = model.p95Seconds(expectedOutputTokens: 100, p95OutputTokens: 150)
        #expect(abs(spread - (1.5 + (0.5 as Double).squareRoot())) < 1e-9)

        var tier = Tier.scripted("only")
        tier.latency = model
        let router = Router(tiers: [tier])
        let needs = StepNeeds(latency: .interactive)
        #expect(try router.route(RouteRequest(needs: needs, inputTokens: 10, maxOutputTokens: 500, expectedOutputTokens: 100)).tier.id == "only")
        #expect {
            try router.route(
                RouteRequest(needs: needs, inputTokens: 10, maxOutputTokens: 500, expectedOutputTokens: 100, p95OutputTokens: 150))
        } throws: { error in
            (error as? NoTierError)?.rejections.first?.reason == .tooSlow
        }
    }

    @Test func noTierErrorsSayWhyEachTierLost() {
        #expect {
            try route(StepNeeds(latency: .interactive, reasoning: .high))
        } throws: { error in
            guard let error = error as? NoTierError else { return false }
            return error.rejections.count == SimulatorCatalog.tiers.count
                && error.description.contains("sim-frontier: tooSlow")
                && error.description.contains("sim-nano: tooShallow") && !error.isBudgetLimited
        }
        #expect(throws: NoTierError.self) { try route(StepNeeds(), input: 300_000) }
        #expect(throws: NoTierError.self) { try route(StepNeeds(jurisdictions: ["mars"])) }
        #expect(throws: NoTierError.self) {
            try Router(tiers: []).route(RouteRequest(needs: StepNeeds(), inputTokens: 1, maxOutputTokens: 1))
        }
    }

    @Test func aSpendingLimitPicksATierWhoseWorstCaseFitsOrSaysPreciselyThatNoneDoes() throws {
        // Same expected cost, different worst cases: the limit decides.
        let longAnswers = Tier.scripted("a-cheap-input", input: 1_000_000, output: 8_000_000)
        let shortAnswers = Tier.scripted("b-cheap-output", input: 2_000_000, output: 4_000_000)
        let router = Router(tiers: [longAnswers, shortAnswers])
        let request = RouteRequest(
            needs: StepNeeds(), inputTokens: 1_000, maxOutputTokens: 1_000, expectedOutputTokens: 250)
        // Expected: 1000 + 2000 = 3000 µ$ vs 2000 + 1000 = 3000 µ$; worst 9000 vs 6000.
        #expect(try router.route(request).tier.id == "b-cheap-output")
        var limited = request
        limited.spendingLimit = Money(micros: 6_000)
        #expect(try router.route(limited).tier.id == "b-cheap-output")
        let decision = try router.route(limited).decision
        #expect(decision.rejected.map(\.reason) == [.overBudget])
        limited.spendingLimit = Money(micros: 5_999)
        #expect {
            try router.route(limited)
        } throws: { error in
            guard let error = error as? NoTierError else { return false }
            return error.isBudgetLimited && error.description.contains("fits the 0.005999")
                && error.description.contains("could cost up to 0.006")
        }
    }

    @Test func tiesBreakByLatencyThenWorstCaseThenID() throws {
        let slow = Tier.scripted("b-tier", ttft: 0.5)
        let twin = Tier.scripted("a-tier", ttft: 0.5)
        let fast = Tier.scripted("c-fast", ttft: 0.1)
        let request = RouteRequest(needs: StepNeeds(), inputTokens: 10, maxOutputTokens: 10)
        #expect(try Router(tiers: [slow, twin, fast]).route(request).tier.id == "c-fast")
        #expect(try Router(tiers: [slow, twin]).route(request).tier.id == "a-tier")
        #expect(try Router(tiers: [twin, slow]).route(request).tier.id == "a-tier")
        // Equal expected cost and speed: the smaller worst case wins whatever the ids.
        let dearOutput = Tier.scripted("a-dear-output", input: 1_000_000, output: 8_000_000)
        let dearInput = Tier.scripted("z-dear-input", input: 2_000_000, output: 4_000_000)
        let shaped = RouteRequest(needs: StepNeeds(), inputTokens: 1_000, maxOutputTokens: 1_000, expectedOutputTokens: 250)
        #expect(try Router(tiers: [dearOutput, dearInput]).route(shaped).tier.id == "z-dear-input")
    }

    @Test func learnedLatencyOpenCircuitsAndFullTiersChangeTheChoice() throws {
        let nano = SimulatorCatalog.tiers.firstIndex { $0.id == "sim-nano" }!
        var entries = SimulatorCatalog.tiers.map { _ in TierCondition() }
        // sim-nano has been seen answering slowly: an interactive step moves on.
        entries[nano].latency = LatencyModel(timeToFirstTokenP50: 2, timeToFirstTokenP95: 5, outputTokensPerSecond: 200)
        let slow = try route(StepNeeds(latency: .interactive), maxOutput: 100, conditions: TierConditions(entries))
        #expect(slow.tier.id == "sim-small-eu")
        #expect(reasons(slow.decision)["sim-nano"] == .tooSlow)

        entries[nano] = TierCondition(circuit: .open(consecutiveFailures: 5, retryInSeconds: 12))
        let broken = try route(StepNeeds(), conditions: TierConditions(entries))
        #expect(broken.tier.id == "sim-small-eu")
        let rejection = try #require(broken.decision.rejected.first { $0.tierID == "sim-nano" })
        #expect(rejection.reason == .unhealthy)
        #expect(rejection.detail.contains("circuit open after 5 consecutive failures"))

        entries[nano] = TierCondition(circuit: .halfOpen)
        #expect(try route(StepNeeds(), conditions: TierConditions(entries)).tier.id == "sim-nano")
        entries[nano] = TierCondition(circuit: .probing)
        #expect(try route(StepNeeds(), conditions: TierConditions(entries)).tier.id == "sim-small-eu")

        var limited = SimulatorCatalog.tiers
        limited[nano].concurrencyLimit = 4
        entries[nano] = TierCondition(saturated: true)
        let busy = try Router(tiers: limited).route(
            RouteRequest(needs: StepNeeds(), inputTokens: 500, maxOutputTokens: 400), conditions: TierConditions(entries))
        #expect(busy.tier.id == "sim-small-eu")
        #expect(reasons(busy.decision)["sim-nano"] == .busy)
    }

    @Test func excludedTiersKeepTheirReason() throws {
        let request = RouteRequest(
            needs: StepNeeds(), inputTokens: 500, maxOutputTokens: 400, expectedOutputTokens: 200,
            excluded: ["sim-nano": .failed(error: "overloaded")])
        let route = try router.route(request)
        #expect(route.tier.id == "sim-small-eu")
        #expect(reasons(route.decision)["sim-nano"] == .failed)
    }

    @Test func theReadmesStandaloneRoutingExampleWorks() throws {
        let engine = Engine()
        let router = Router(tiers: try TierCatalog(SimulatorCatalog.tiers).tiers)
        let route = try router.route(
            RouteRequest(
                needs: StepNeeds(latency: .standard, reasoning: .low), inputTokens: 1_200, maxOutputTokens: 400,
                spendingLimit: Money(micros: 5_000)),
            conditions: engine.tierConditions)
        #expect(route.tier.id == "sim-small-eu")
        #expect(route.decision.rejectedCount == SimulatorCatalog.tiers.count - 1)
        #expect(engine.tierHealth.map(\.circuit) == SimulatorCatalog.tiers.map { _ in .closed })
    }

    @Test func decisionsEncodeTheirReasonsInWords() throws {
        let decision = try route(StepNeeds(reasoning: .medium)).decision
        let data = try JSONEncoder().encode(decision)
        let json = try JSONValue(parsing: String(decoding: data, as: UTF8.self))
        let first = try #require(json["rejected"]?.arrayValue?.first)
        #expect(first["reason"]?.stringValue == "tooShallow")
        #expect(first["detail"]?.stringValue == "reasons to none, needs medium")
    }
}
