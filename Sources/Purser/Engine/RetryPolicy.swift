/// How often and how patiently a failed call is tried again. Only failures that say
/// they are retryable (``ProviderError/isRetryable``, ``ToolError/isRetryable``, timeouts)
/// are retried.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Attempts in all, the first included; 1 means no retry.
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var multiplier: Double
    public var maxBackoff: Duration
    /// Fraction of each delay drawn at random (0 = none, 1 = full jitter), so many runs
    /// failing together do not retry in lockstep.
    public var jitter: Double

    public init(
        maxAttempts: Int = 3, initialBackoff: Duration = .milliseconds(500), multiplier: Double = 2,
        maxBackoff: Duration = .seconds(10), jitter: Double = 0.5
    ) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.multiplier = multiplier
        self.maxBackoff = maxBackoff
        self.jitter = jitter
    }

    public static let `default` = RetryPolicy()
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait before attempt `attempt + 1`, after `attempt` failed attempts (1-based).
    /// `unitRandom` is in `0..<1`; `retryAfter` (seconds), when the provider sent one, is a floor.
    public func delay(afterAttempt attempt: Int, unitRandom: Double, retryAfter: Double? = nil) -> Duration {
        let base = initialBackoff * pow(multiplier, Double(max(attempt - 1, 0)))
        let capped = min(base, maxBackoff)
        let clampedJitter = min(max(jitter, 0), 1)
        let jittered = capped * (1 - clampedJitter) + capped * (clampedJitter * min(max(unitRandom, 0), 1))
        if let retryAfter, retryAfter > 0 {
            return max(jittered, .milliseconds(Int64(retryAfter * 1000)))
        }
        return jittered
    }

    private func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 {
            result *= base
            remaining -= 1
            if result > 1e9 { break }
        }
        return result
    }
}
