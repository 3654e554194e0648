/// Picks the tier for a model call: the one of least expected cost among those that meet
/// the call's needs. A pure value, so every decision can be tested and explained.
public struct TierSelector: Sendable {
    public var tiers: [Tier]

    public init(tiers: [Tier]) {
        self.tiers = tiers
    }

    /// Chooses a tier, or throws ``NoTierError`` saying why each tier was ruled out.
    public func select(_ request: TierRequest) throws(NoTierError) -> TierChoice {
        var best: (tier: Tier, expected: Money, p95: Double)?
        var rejections: [TierRejection] = []
        var feasible: [(tier: Tier, expected: Money, p95: Double)] = []
        for tier in tiers {
            if let rejection = rejection(of: tier, for: request) {
                rejections.append(rejection)
                continue
            }
            let expected = tier.pricing.cost(
                of: TokenUsage(inputTokens: request.inputTokens, outputTokens: request.expectedOutputTokens))
            let p95 = tier.latency.p95Seconds(outputTokens: request.expectedOutputTokens)
            feasible.append((tier, expected, p95))
            if let current = best {
                if (expected, p95, tier.id) < (current.expected, current.p95, current.tier.id) {
                    best = (tier, expected, p95)
                }
            } else {
                best = (tier, expected, p95)
            }
        }
        guard let best else {
            throw NoTierError(needs: request.needs, rejections: rejections)
        }
        for other in feasible where other.tier.id != best.tier.id {
            rejections.append(
                TierRejection(
                    tierID: other.tier.id, reason: .tooDear,
                    detail: "expected \(other.expected) vs \(best.expected)"))
        }
        return TierChoice(
            tier: best.tier,
            expectedCost: best.expected,
            worstCaseCost: best.tier.pricing.worstCaseCost(
                inputTokens: request.inputTokens, maxOutputTokens: request.maxOutputTokens),
            predictedP95Seconds: best.p95,
            rejected: rejections.sorted { $0.tierID < $1.tierID })
    }

    /// Why `tier` cannot serve `request`, or `nil` if it can.
    public func rejection(of tier: Tier, for request: TierRequest) -> TierRejection? {
        let needs = request.needs
        if let allowed = needs.jurisdictions, !allowed.contains(tier.jurisdiction) {
            let list = allowed.sorted().map(\.rawValue).joined(separator: ", ")
            return TierRejection(
                tierID: tier.id, reason: .jurisdiction, detail: "runs in \(tier.jurisdiction), allowed: \(list)")
        }
        let missing = needs.capabilities.subtracting(tier.capabilities)
        if !missing.isEmpty {
            return TierRejection(
                tierID: tier.id, reason: .capability,
                detail: "lacks " + missing.sorted().map(\.rawValue).joined(separator: ", "))
        }
        if tier.reasoningDepth < needs.reasoning {
            return TierRejection(
                tierID: tier.id, reason: .tooShallow,
                detail: "reasons to \(tier.reasoningDepth.rawValue), needs \(needs.reasoning.rawValue)")
        }
        let context = request.inputTokens + request.maxOutputTokens + (needs.minimumContext ?? 0)
        if context > tier.contextWindow {
            return TierRejection(
                tierID: tier.id, reason: .tooSmall,
                detail: "context window \(tier.contextWindow) < \(context) tokens needed")
        }
        if request.maxOutputTokens > tier.maxOutputTokens {
            return TierRejection(
                tierID: tier.id, reason: .tooSmall,
                detail: "max output \(tier.maxOutputTokens) < \(request.maxOutputTokens) tokens asked")
        }
        let p95 = tier.latency.p95Seconds(outputTokens: request.expectedOutputTokens)
        if p95 > needs.latency.p95Seconds {
            return TierRejection(
                tierID: tier.id, reason: .tooSlow,
                detail: "predicted p95 \(Self.seconds(p95)) > \(Self.seconds(needs.latency.p95Seconds)) (\(needs.latency))"
            )
        }
        return nil
    }

    static func seconds(_ value: Double) -> String {
        let tenths = (value * 100).rounded() / 100
        return "\(tenths) s"
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

/// Why a tier was not chosen.
public struct TierRejection: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable, Codable {
        case tooSlow, tooShallow, tooSmall, tooDear, jurisdiction, capability, unhealthy, overBudget
    }

    public var tierID: String
    public var reason: Reason
    public var detail: String

    public var description: String { "\(tierID): \(reason.rawValue) (\(detail))" }
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
