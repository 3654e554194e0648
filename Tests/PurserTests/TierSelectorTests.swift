import Purser
import PurserTestKit
import Testing

@Suite("Tier selection")
struct TierSelectorTests {
    let selector = TierSelector(tiers: SimulatorCatalog.tiers)

    func choose(_ needs: StepNeeds, input: Int = 500, maxOutput: Int = 400) throws -> TierChoice {
        try selector.select(TierRequest(needs: needs, inputTokens: input, maxOutputTokens: maxOutput))
    }

    @Test func cheapestTierThatMeetsEachNeed() throws {
        #expect(try choose(StepNeeds(latency: .interactive)).tier.id == "sim-nano")
        #expect(try choose(StepNeeds(reasoning: .low)).tier.id == "sim-small-eu")
        #expect(try choose(StepNeeds(reasoning: .low, jurisdictions: [.us])).tier.id == "sim-mini")
        #expect(try choose(StepNeeds(reasoning: .high)).tier.id == "sim-frontier")
        #expect(try choose(StepNeeds(reasoning: .high, jurisdictions: [.uk])).tier.id == "sim-large-uk")
    }

    @Test func theDecisionExplainsEveryOtherTier() throws {
        let choice = try choose(StepNeeds(reasoning: .medium))
        #expect(choice.tier.id == "sim-mini")
        let reasons = Dictionary(uniqueKeysWithValues: choice.rejected.map { ($0.tierID, $0.reason) })
        #expect(reasons == [
            "sim-nano": .tooShallow, "sim-small-eu": .tooShallow, "sim-large-uk": .tooDear, "sim-frontier": .tooDear,
        ])
        #expect(choice.expectedCost <= choice.worstCaseCost)
        // 500 in at $0.25/M + 400 out at $2/M = 125 + 800 = 925 µ$.
        #expect(choice.worstCaseCost == Money(micros: 925))
    }

    @Test func noTierErrorsSayWhyEachTierLost() {
        #expect {
            try choose(StepNeeds(latency: .interactive, reasoning: .high))
        } throws: { error in
            guard let error = error as? NoTierError else { return false }
            return error.rejections.count == 5 && error.description.contains("sim-frontier: tooSlow")
                && error.description.contains("sim-nano: tooShallow")
        }
        #expect(throws: NoTierError.self) { try choose(StepNeeds(), input: 300_000) }
        #expect(throws: NoTierError.self) { try choose(StepNeeds(jurisdictions: ["mars"])) }
        #expect(throws: NoTierError.self) { try TierSelector(tiers: []).select(TierRequest(needs: StepNeeds(), inputTokens: 1, maxOutputTokens: 1)) }
    }

    @Test func tiesBreakByLatencyThenID() throws {
        let a = Tier.scripted("b-tier", ttft: 0.5)
        let b = Tier.scripted("a-tier", ttft: 0.5)
        let c = Tier.scripted("c-fast", ttft: 0.1)
        #expect(try TierSelector(tiers: [a, b, c]).select(TierRequest(needs: StepNeeds(), inputTokens: 10, maxOutputTokens: 10)).tier.id == "c-fast")
        #expect(try TierSelector(tiers: [a, b]).select(TierRequest(needs: StepNeeds(), inputTokens: 10, maxOutputTokens: 10)).tier.id == "a-tier")
    }

    @Test func retryBackoffGrowsIsCappedAndHonoursRetryAfter() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), multiplier: 2, maxBackoff: .milliseconds(300), jitter: 0)
        #expect((1...4).map { policy.delay(afterAttempt: $0, unitRandom: 0.7) } == [
            .milliseconds(100), .milliseconds(200), .milliseconds(300), .milliseconds(300),
        ])
        #expect(policy.delay(afterAttempt: 1, unitRandom: 0, retryAfter: 2) == .seconds(2))
        let jittered = RetryPolicy(initialBackoff: .milliseconds(100), jitter: 1)
        #expect(jittered.delay(afterAttempt: 1, unitRandom: 0) == .zero)
        #expect(jittered.delay(afterAttempt: 1, unitRandom: 0.5) == .milliseconds(50))
    }
}
