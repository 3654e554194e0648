/// What the engine has learned about each tier at run time, as the router reads it: a
/// snapshot, so routing stays a pure function of its inputs.
public struct TierConditions: Sendable, Hashable {
    /// One entry per catalog tier, in catalog order; empty means "as the catalog says".
    public var entries: [TierCondition]

    public init(_ entries: [TierCondition]) {
        self.entries = entries
    }

    /// Every tier healthy, idle, and as fast as the catalog says.
    public static let nominal = TierConditions([])

    public subscript(index: Int) -> TierCondition? {
        index < entries.count ? entries[index] : nil
    }
}

/// One tier's learned latency, circuit and load.
public struct TierCondition: Sendable, Hashable {
    /// Latency learned from observed calls; `nil` until enough calls were seen.
    public var latency: LatencyModel?
    public var circuit: CircuitState
    /// All of the tier's concurrent calls are in use.
    public var saturated: Bool

    public init(latency: LatencyModel? = nil, circuit: CircuitState = .closed, saturated: Bool = false) {
        self.latency = latency
        self.circuit = circuit
        self.saturated = saturated
    }
}

/// A tier's circuit breaker, as routing sees it.
public enum CircuitState: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Calls flow.
    case closed
    /// Repeated failures: no calls until the cool-down ends.
    case open(consecutiveFailures: Int, retryInSeconds: Double)
    /// The cool-down ended: one call may probe the tier.
    case halfOpen
    /// The probe is in flight; others wait for its outcome.
    case probing

    public var description: String {
        switch self {
        case .closed: "healthy"
        case .open(let failures, let retryIn):
            "circuit open after \(failures) consecutive failures; next probe in \(TierRejection.seconds(retryIn))"
        case .halfOpen: "recovering: the next call probes it"
        case .probing: "recovering: a probe call is in flight"
        }
    }
}
