/// What a model step needs from a tier. A step names needs, never a model:
/// the router picks the cheapest tier that meets them.
public struct StepNeeds: Sendable, Hashable, Codable {
    public var latency: LatencyNeed
    public var reasoning: ReasoningDepth
    /// Context window the step needs, in tokens, beyond what its prompt is estimated at.
    public var minimumContext: Int?
    public var capabilities: Set<Capability>
    /// Where the step may run; `nil` inherits the workflow's (and then anywhere).
    public var jurisdictions: Set<Jurisdiction>?

    public init(
        latency: LatencyNeed = .standard, reasoning: ReasoningDepth = .none, minimumContext: Int? = nil,
        capabilities: Set<Capability> = [], jurisdictions: Set<Jurisdiction>? = nil
    ) {
        self.latency = latency
        self.reasoning = reasoning
        self.minimumContext = minimumContext
        self.capabilities = capabilities
        self.jurisdictions = jurisdictions
    }
}

/// How soon a step's answer must arrive, as a 95th-percentile bound.
public enum LatencyNeed: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A person is waiting: p95 ≤ 2 s.
    case interactive
    /// A service is waiting: p95 ≤ 30 s.
    case standard
    /// Nobody is waiting: hours are fine.
    case batch
    /// An explicit p95 bound in seconds.
    case p95(seconds: Double)

    /// The p95 bound in seconds.
    public var p95Seconds: Double {
        switch self {
        case .interactive: 2
        case .standard: 30
        case .batch: 24 * 3600
        case .p95(let seconds): seconds
        }
    }

    public var description: String {
        switch self {
        case .interactive: "interactive"
        case .standard: "standard"
        case .batch: "batch"
        case .p95(let seconds): "p95 ≤ \(JSONValue.format(seconds)) s"
        }
    }
}
