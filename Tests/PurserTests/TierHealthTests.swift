import Purser
import PurserTestKit
import Testing

@Suite("Tier health: learning and circuit breaking")
struct TierHealthTests {
    @Test func rollingQuantilesFollowTheWindowAndShrugOffOutliers() {
        var window = RollingQuantiles(capacity: 20)
        #expect(window.quantile(0.5) == nil)
        for value in 1...20 { window.add(Double(value)) }
        #expect(window.quantile(0.5) == 10)
        #expect(window.quantile(0.95) == 19)
        // One wild outlier moves the median by one rank, not by its size.
        window.add(10_000)
        #expect(window.quantile(0.5) == 11)
        #expect(window.quantile(1) == 10_000)
        // Twenty new values push every old one out.
        for _ in 0..<20 { window.add(7) }
        #expect(window.quantile(0) == 7 && window.quantile(1) == 7)
        window.add(.nan)
        #expect(window.count == 20)
    }

    @Test func theLatencyModelIsLearnedOnlyOnceThereAreEnoughCalls() {
        let prior = LatencyModel(timeToFirstTokenP50: 0.2, timeToFirstTokenP95: 0.5, outputTokensPerSecond: 100)
        var learner = LatencyLearner()
        for call in 0..<(LatencyLearner.minimumSamples - 1) {
            learner.observe(timeToFirstToken: 1.0 + Double(call) / 100, outputTokens: 100, seconds: 3.0, prior: prior)
        }
        #expect(learner.model(prior: prior) == nil)
        learner.observe(timeToFirstToken: 1.0, outputTokens: 100, seconds: 3.0, prior: prior)
        let learned = learner.model(prior: prior)
        #expect(learned != nil)
        #expect(learned!.timeToFirstTokenP50 >= 1.0 && learned!.timeToFirstTokenP95 <= 1.1)
        // 100 tokens in the 2 s after the first token.
        #expect(abs(learned!.outputTokensPerSecond - 50) < 2)
    }

    @Test func withoutAReportedFirstTokenTheDurationIsSplitAtTheKnownRate() {
        let prior = LatencyModel(timeToFirstTokenP50: 0.2, timeToFirstTokenP95: 0.5, outputTokensPerSecond: 100)
        var learner = LatencyLearner()
        for _ in 0..<LatencyLearner.minimumSamples {
            learner.observe(timeToFirstToken: nil, outputTokens: 200, seconds: 2.5, prior: prior)
        }
        // 200 tokens at the prior's 100/s take 2 s, leaving 0.5 s to the first token.
        #expect(learner.model(prior: prior)?.timeToFirstTokenP50 == 0.5)
    }

    @Test func theBreakerOpensAfterRepeatedFailuresThenProbesOnce() {
        var breaker = CircuitBreaker(policy: .init(failureThreshold: 3, cooldown: .seconds(10), maxCooldown: .seconds(25)))
        let start = Duration.seconds(100)
        var admitted: Bool
        admitted = breaker.admit(at: start)
        #expect(admitted)
        breaker.recordFailure(at: start)
        breaker.recordFailure(at: start)
        #expect(breaker.state(at: start) == .closed)
        // A success in between starts the count again.
        breaker.recordSuccess()
        for _ in 0..<3 { breaker.recordFailure(at: start) }
        #expect(breaker.state(at: start) == .open(consecutiveFailures: 3, retryInSeconds: 10))
        admitted = breaker.admit(at: start + .seconds(9))
        #expect(!admitted)
        #expect(breaker.state(at: start + .seconds(10)) == .halfOpen)
        admitted = breaker.admit(at: start + .seconds(10))
        #expect(admitted)
        #expect(breaker.state(at: start + .seconds(10)) == .probing)
        admitted = breaker.admit(at: start + .seconds(10))
        #expect(!admitted)
        // The probe fails: open again, twice as long.
        breaker.recordFailure(at: start + .seconds(11))
        #expect(breaker.state(at: start + .seconds(11)) == .open(consecutiveFailures: 4, retryInSeconds: 20))
        admitted = breaker.admit(at: start + .seconds(31))
        #expect(admitted)
        // Fails again: the cool-down is capped at 25 s.
        breaker.recordFailure(at: start + .seconds(31))
        #expect(breaker.state(at: start + .seconds(31)) == .open(consecutiveFailures: 5, retryInSeconds: 25))
        admitted = breaker.admit(at: start + .seconds(56))
        #expect(admitted)
        // An abandoned probe lets the next call probe instead.
        breaker.abandonProbe()
        #expect(breaker.state(at: start + .seconds(56)) == .halfOpen)
        admitted = breaker.admit(at: start + .seconds(56))
        #expect(admitted)
        breaker.recordSuccess()
        #expect(breaker.state(at: start + .seconds(56)) == .closed)
        #expect(breaker.consecutiveFailures == 0)
    }

    @Test func theMonitorLearnsOnItsClockAndRoutingSeesIt() {
        let clock = ManualClock()
        let tiers = [Tier.scripted("fast", ttft: 0.1, tokensPerSecond: 1000)]
        let monitor = TierMonitor(tiers: tiers, clock: clock, breaker: .init(failureThreshold: 2, cooldown: .seconds(30)))
        #expect(monitor.conditions()[0] == TierCondition())
        for _ in 0..<LatencyLearner.minimumSamples {
            #expect(monitor.tryAcquire(0))
            monitor.release(0, outcome: .succeeded(timeToFirstToken: 3, outputTokens: 100, seconds: 3.5))
        }
        let learned = monitor.conditions()[0]?.latency
        #expect(learned?.timeToFirstTokenP95 == 3)
        #expect(learned?.outputTokensPerSecond == 200)
        // The catalog said interactive was fine; what was seen says otherwise.
        #expect(throws: NoTierError.self) {
            try Router(tiers: tiers).route(
                RouteRequest(needs: StepNeeds(latency: .interactive), inputTokens: 10, maxOutputTokens: 100),
                conditions: monitor.conditions())
        }

        for _ in 0..<2 {
            #expect(monitor.tryAcquire(0))
            monitor.release(0, outcome: .failed)
        }
        #expect(monitor.conditions()[0]?.circuit == .open(consecutiveFailures: 2, retryInSeconds: 30))
        #expect(!monitor.tryAcquire(0))
        clock.advance(by: .seconds(30))
        #expect(monitor.conditions()[0]?.circuit == .halfOpen)
        #expect(monitor.tryAcquire(0))
        #expect(!monitor.tryAcquire(0), "only one probe at a time")
        monitor.release(0, outcome: .succeeded(timeToFirstToken: 0.1, outputTokens: 10, seconds: 0.2))
        #expect(monitor.conditions()[0]?.circuit == .closed)
        let health = monitor.health()[0]
        #expect(health.calls == LatencyLearner.minimumSamples + 3 && health.failures == 2 && health.inFlight == 0)
    }

    @Test func aFullTierHandsItsSlotToTheLongestWaiter() async throws {
        var tier = Tier.scripted("limited")
        tier.concurrencyLimit = 1
        let monitor = TierMonitor(tiers: [tier], clock: ManualClock())
        #expect(monitor.tryAcquire(0))
        #expect(monitor.conditions()[0]?.saturated == true)
        #expect(!monitor.tryAcquire(0))
        let waiter = Task { try await monitor.acquire(0) }
        // Still one in flight while the waiter waits.
        try await Task.sleep(for: .milliseconds(20))
        #expect(monitor.health()[0].inFlight == 1)
        monitor.release(0, outcome: .abandoned)
        #expect(try await waiter.value)
        #expect(monitor.health()[0].inFlight == 1)
        monitor.release(0, outcome: .abandoned)
        #expect(monitor.health()[0].inFlight == 0)

        // A cancelled waiter leaves no slot taken.
        #expect(monitor.tryAcquire(0))
        let cancelled = Task { try await monitor.acquire(0) }
        try await Task.sleep(for: .milliseconds(20))
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        monitor.release(0, outcome: .abandoned)
        #expect(monitor.health()[0].inFlight == 0)
    }
}
