/// Picks the tier for a model call: the one of least expected cost among those that meet
/// the call's needs. A pure value, so every decision can be tested and explained.
public struct TierSelector: Sendable {
    public var tiers: [Tier]

    public init(tiers: [Tier]) {
        self.tiers = tiers
    }

    /// Chooses a tier, or throws ``NoTierError`` saying why each tier was ruled out.
    public func select(_ request: TierRequest) throws(NoTierError) -> TierChoice {
        var rejections: [TierRejection] = []
        var feasible: [(tier: Tier, expected: Money, p95: Double)] = []
        for tier in tiers {
            if let rejection = rejection(of: tier, for: request) {
                rejections.append(rejection)
                continue
            }
            let expected = tier.pricing.cost(
                of: TokenUsage(inputTokens: request.inputTokens, outputTokens: request.expectedOutputTokens))
            feasible.append((tier, expected, tier.latency.p95Seconds(outputTokens: request.expectedOutputTokens)))
        }
        // Least expected cost; ties go to the faster tier, then by id.
        let best = feasible.min { ($0.expected, $0.p95, $0.tier.id) < ($1.expected, $1.p95, $1.tier.id) }
        guard let best else {
            throw NoTierError(needs: request.needs, rejections: rejections)
        }
        for other in feasible where other.tier.id != best.tier.id {
            rejections.append(
                TierRejection(tierID: other.tier.id, .cost(expected: other.expected, chosen: best.expected)))
        }
        return TierChoice(
            tier: best.tier,
            expectedCost: best.expected,
            worstCaseCost: best.tier.pricing.worstCaseCost(
                inputTokens: request.inputTokens, maxOutputTokens: request.maxOutputTokens),
            predictedP95Seconds: best.p95,
            rejected: rejections)
    }

    /// Why `tier` cannot serve `request`, or `nil` if it can. Builds no text: it runs for
    /// every tier on every call, and the explanation is rendered only when someone reads it.
    public func rejection(of tier: Tier, for request: TierRequest) -> TierRejection? {
        let needs = request.needs
        if let allowed = needs.jurisdictions, !allowed.contains(tier.jurisdiction) {
            return TierRejection(tierID: tier.id, .jurisdiction(tier: tier.jurisdiction, allowed: allowed))
        }
        if !needs.capabilities.isEmpty, !needs.capabilities.isSubset(of: tier.capabilities) {
            return TierRejection(tierID: tier.id, .capability(missing: needs.capabilities.subtracting(tier.capabilities)))
        }
        if tier.reasoningDepth < needs.reasoning {
            return TierRejection(tierID: tier.id, .depth(tier: tier.reasoningDepth, needed: needs.reasoning))
        }
        let context = request.inputTokens + request.maxOutputTokens + (needs.minimumContext ?? 0)
        if context > tier.contextWindow {
            return TierRejection(tierID: tier.id, .context(window: tier.contextWindow, needed: context))
        }
        if request.maxOutputTokens > tier.maxOutputTokens {
            return TierRejection(tierID: tier.id, .maxOutput(limit: tier.maxOutputTokens, asked: request.maxOutputTokens))
        }
        let p95 = tier.latency.p95Seconds(outputTokens: request.expectedOutputTokens)
        if p95 > needs.latency.p95Seconds {
            return TierRejection(tierID: tier.id, .latency(predictedP95: p95, need: needs.latency))
        }
        return nil
    }
}

extension TierSelector {
    static func seconds(_ value: Double) -> String {
        let hundredths = (value * 100).rounded() / 100
        return "\(hundredths) s"
    }
}

/// What the selector is asked: the call's needs and its token shape.
public struct TierRequest: Sendable, Hashable {
    /// Needs with jurisdictions already narrowed by the workflow's.
    public var needs: StepNeeds
    public var inputTokens: Int
    public var maxOutputTokens: Int
    /// Expected output, reasoning included.
    public var expectedOutputTokens: Int

    public init(needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int, expectedOutputTokens: Int) {
        self.needs = needs
        self.inputTokens = inputTokens
        self.maxOutputTokens = maxOutputTokens
        self.expectedOutputTokens = expectedOutputTokens
    }

    /// A request shaped by the output prior for a step's bound and depth.
    public init(needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int) {
        let expected =
            OutputPrior.visibleTokens(maxOutputTokens: maxOutputTokens)
            + OutputPrior.reasoningTokens(depth: needs.reasoning, maxOutputTokens: maxOutputTokens)
        self.init(
            needs: needs, inputTokens: inputTokens, maxOutputTokens: maxOutputTokens, expectedOutputTokens: expected)
    }
}

/// The chosen tier, what it is expected to cost, and why every other tier lost.
public struct TierChoice: Sendable, Hashable, Codable {
    public var tier: Tier
    public var expectedCost: Money
    public var worstCaseCost: Money
    public var predictedP95Seconds: Double
    public var rejected: [TierRejection]
}

/// Why a tier was not chosen: the reason, and the facts behind it.
public struct TierRejection: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        case tooSlow, tooShallow, tooSmall, tooDear, jurisdiction, capability, unhealthy, overBudget
    }

    /// The facts that ruled the tier out, kept as values so nothing is formatted until read.
    public enum Facts: Sendable, Hashable, Codable {
        case jurisdiction(tier: Jurisdiction, allowed: Set<Jurisdiction>)
        case capability(missing: Set<Capability>)
        case depth(tier: ReasoningDepth, needed: ReasoningDepth)
        case context(window: Int, needed: Int)
        case maxOutput(limit: Int, asked: Int)
        case latency(predictedP95: Double, need: LatencyNeed)
        case cost(expected: Money, chosen: Money)
        case other(reason: Reason, detail: String)

        var reason: Reason {
            switch self {
            case .jurisdiction: .jurisdiction
            case .capability: .capability
            case .depth: .tooShallow
            case .context, .maxOutput: .tooSmall
            case .latency: .tooSlow
            case .cost: .tooDear
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
            "predicted p95 \(TierSelector.seconds(p95)) > \(TierSelector.seconds(need.p95Seconds)) (\(need))"
        case .cost(let expected, let chosen):
            "expected \(expected) vs \(chosen)"
        case .other(_, let detail):
            detail
        }
    }

    public var description: String { "\(tierID): \(reason.rawValue) (\(detail))" }
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

/// No tier meets a step's needs; says why each one was ruled out.
public struct NoTierError: Error, Sendable, Hashable, CustomStringConvertible {
    public var needs: StepNeeds
    public var rejections: [TierRejection]

    public var description: String {
        if rejections.isEmpty { return "no tier meets the step's needs: the tier catalog is empty" }
        return "no tier meets the step's needs: "
            + rejections.map(\.description).joined(separator: "; ")
    }
}
