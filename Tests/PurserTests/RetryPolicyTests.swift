import Purser
import Testing

@Suite("Retry policy")
struct RetryPolicyTests {
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
