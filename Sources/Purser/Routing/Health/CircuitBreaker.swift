/// A circuit breaker for one tier: after `failureThreshold` consecutive failures it opens for
/// a cool-down; then one probe call may go; its success closes the circuit, its failure
/// opens it again for twice as long (up to `maxCooldown`).
///
/// A value driven by the caller's clock readings, so tests step through it exactly.
public struct CircuitBreaker: Sendable, Hashable {
    public struct Policy: Sendable, Hashable {
        public var failureThreshold: Int
        public var cooldown: Duration
        public var maxCooldown: Duration

        public init(failureThreshold: Int = 5, cooldown: Duration = .seconds(30), maxCooldown: Duration = .seconds(600)) {
            self.failureThreshold = max(1, failureThreshold)
            self.cooldown = cooldown
            self.maxCooldown = max(cooldown, maxCooldown)
        }
    }

    private enum Phase: Hashable {
        case closed
        case open(until: Duration, cooldown: Duration)
        case halfOpen(cooldown: Duration, probeInFlight: Bool)
    }

    public let policy: Policy
    public private(set) var consecutiveFailures = 0
    private var phase = Phase.closed

    public init(policy: Policy = Policy()) {
        self.policy = policy
    }

    /// The state at monotonic time `now`.
    public func state(at now: Duration) -> CircuitState {
        switch phase {
        case .closed:
            return .closed
        case .open(let until, _):
            if now >= until { return .halfOpen }
            return .open(consecutiveFailures: consecutiveFailures, retryInSeconds: (until - now).seconds)
        case .halfOpen(_, let probeInFlight):
            return probeInFlight ? .probing : .halfOpen
        }
    }

    /// Takes permission for one call: always when closed; once, as the probe, when the
    /// cool-down has ended. False when the circuit is open or a probe is already in flight.
    public mutating func admit(at now: Duration) -> Bool {
        switch phase {
        case .closed:
            return true
        case .open(let until, let cooldown):
            guard now >= until else { return false }
            phase = .halfOpen(cooldown: cooldown, probeInFlight: true)
            return true
        case .halfOpen(let cooldown, let probeInFlight):
            guard !probeInFlight else { return false }
            phase = .halfOpen(cooldown: cooldown, probeInFlight: true)
            return true
        }
    }

    public mutating func recordSuccess() {
        consecutiveFailures = 0
        phase = .closed
    }

    public mutating func recordFailure(at now: Duration) {
        consecutiveFailures += 1
        switch phase {
        case .closed:
            if consecutiveFailures >= policy.failureThreshold {
                phase = .open(until: now + policy.cooldown, cooldown: policy.cooldown)
            }
        case .open:
            // A call admitted before the circuit opened failed too; the cool-down stands.
            break
        case .halfOpen(let cooldown, _):
            let longer = min(cooldown * 2, policy.maxCooldown)
            phase = .open(until: now + longer, cooldown: longer)
        }
    }

    /// A probe that ended without telling anything (cancelled, or refused for a reason of the
    /// caller's own): the next call may probe instead.
    public mutating func abandonProbe() {
        if case .halfOpen(let cooldown, true) = phase {
            phase = .halfOpen(cooldown: cooldown, probeInFlight: false)
        }
    }
}
