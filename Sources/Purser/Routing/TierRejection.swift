/// Why a tier was not chosen: the reason, and the facts behind it.
public struct TierRejection: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        case tooSlow, tooShallow, tooSmall, tooDear, jurisdiction, capability, unhealthy, overBudget
        /// At its concurrency limit; chosen only when every feasible tier is.
        case busy
        /// Already tried by this step: it failed after retries.
        case failed
        /// Already tried by this step: its answer failed the step's validator.
        case outputRejected
    }

    /// The facts that ruled the tier out, kept as values so nothing is formatted until read.
    public enum Facts: Sendable, Hashable, Codable {
        case jurisdiction(tier: Jurisdiction, allowed: Set<Jurisdiction>)
        case capability(missing: Set<Capability>)
        case depth(tier: ReasoningDepth, needed: ReasoningDepth)
        case context(window: Int, needed: Int)
        case maxOutput(limit: Int, asked: Int)
        case latency(predictedP95: Double, need: LatencyNeed)
        case batchOnly(need: LatencyNeed)
        case unhealthy(CircuitState)
        case busy(limit: Int)
        case cost(expected: Money, chosen: Money)
        case overBudget(worstCase: Money, limit: Money)
        case failed(error: String)
        case outputRejected(problem: String)
        case other(reason: Reason, detail: String)

        var reason: Reason {
            switch self {
            case .jurisdiction: .jurisdiction
            case .capability: .capability
            case .depth: .tooShallow
            case .context, .maxOutput: .tooSmall
            case .latency, .batchOnly: .tooSlow
            case .unhealthy: .unhealthy
            case .busy: .busy
            case .cost: .tooDear
            case .overBudget: .overBudget
            case .failed: .failed
            case .outputRejected: .outputRejected
            case .other(let reason, _): reason
            }
        }
    }

    public var tierID: String
    public var facts: Facts

    public init(tierID: String, _ facts: Facts) {
        self.tierID = tierID
        self.facts = facts
    }

    public var reason: Reason { facts.reason }

    /// The facts in words: "predicted p95 3.4 s > 2 s (interactive)".
    public var detail: String {
        switch facts {
        case .jurisdiction(let tier, let allowed):
            "runs in \(tier), allowed: " + allowed.sorted().map(\.rawValue).joined(separator: ", ")
        case .capability(let missing):
            "lacks " + missing.sorted().map(\.rawValue).joined(separator: ", ")
        case .depth(let tier, let needed):
            "reasons to \(tier.rawValue), needs \(needed.rawValue)"
        case .context(let window, let needed):
            "context window \(window) < \(needed) tokens needed"
        case .maxOutput(let limit, let asked):
            "max output \(limit) < \(asked) tokens asked"
        case .latency(let p95, let need):
            "predicted p95 \(Self.seconds(p95)) > \(Self.seconds(need.p95Seconds)) (\(need))"
        case .batchOnly(let need):
            "a batch tier answers within hours; the step needs \(need)"
        case .unhealthy(let circuit):
            circuit.description
        case .busy(let limit):
            "all \(limit) of its concurrent calls are in use"
        case .cost(let expected, let chosen):
            "expected \(expected) vs \(chosen)"
        case .overBudget(let worst, let limit):
            "worst case \(worst) > \(limit) left in the budget"
        case .failed(let error):
            "failed this step: \(error)"
        case .outputRejected(let problem):
            "its answer failed the step's validator: \(problem)"
        case .other(_, let detail):
            detail
        }
    }

    public var description: String { "\(tierID): \(reason.rawValue) (\(detail))" }

    static func seconds(_ value: Double) -> String {
        let hundredths = (value * 100).rounded() / 100
        return "\(hundredths) s"
    }
}

extension TierRejection: Codable {
    private enum CodingKeys: String, CodingKey { case tierID, reason, detail, facts }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tierID = try container.decode(String.self, forKey: .tierID)
        facts = try container.decode(Facts.self, forKey: .facts)
    }

    /// Encodes the reason and the detail in words as well as the facts, for people reading the API.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tierID, forKey: .tierID)
        try container.encode(reason, forKey: .reason)
        try container.encode(detail, forKey: .detail)
        try container.encode(facts, forKey: .facts)
    }
}
