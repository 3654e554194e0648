/// Picks the tier for a model call: the one of least expected cost among those that meet the
/// call's needs, are healthy, and whose worst case fits the budget left.
///
/// A pure value: the same catalog, request and conditions always give the same decision, so
/// every decision can be tested, replayed and explained. What the engine learns at run time
/// (latency, failures, load) comes in as ``TierConditions``.
///
/// ```swift
/// let router = Router(tiers: SimulatorCatalog.tiers)
/// let route = try router.route(RouteRequest(needs: StepNeeds(reasoning: .medium), inputTokens: 800, maxOutputTokens: 400))
/// print(route.tier.id, route.decision.rejected)   // sim-mini, and why each other tier lost
/// ```
public struct Router: Sendable {
    public let tiers: [Tier]

    public init(tiers: [Tier]) {
        self.tiers = tiers
    }

    /// Chooses a tier, or throws ``NoTierError`` saying why each tier was ruled out.
    ///
    /// Ties on expected cost go to the faster tier (lower predicted p95), then the lower worst
    /// case, then the lower id, so the order of the catalog never changes a decision.
    public func route(_ request: RouteRequest, conditions: TierConditions = .nominal) throws(NoTierError) -> Route {
        var rejections: [TierRejection] = []
        rejections.reserveCapacity(tiers.count)
        var feasible: [Candidate] = []
        var best: Candidate?
        for index in tiers.indices {
            let tier = tiers[index]
            let latency = conditions[index]?.latency ?? tier.latency
            let p95 = latency.p95Seconds(outputTokens: request.expectedOutputTokens)
            if let facts = rejection(of: tier, index: index, p95: p95, for: request, conditions: conditions) {
                rejections.append(TierRejection(tierID: tier.id, facts))
                continue
            }
            let worst = tier.pricing.worstCaseCost(
                inputTokens: request.inputTokens, maxOutputTokens: request.maxOutputTokens)
            if let limit = request.spendingLimit, worst > limit {
                rejections.append(TierRejection(tierID: tier.id, .overBudget(worstCase: worst, limit: limit)))
                continue
            }
            let candidate = Candidate(
                index: index,
                expected: tier.pricing.cost(
                    of: TokenUsage(inputTokens: request.inputTokens, outputTokens: request.expectedOutputTokens)),
                worst: worst, p95: p95)
            feasible.append(candidate)
            if let current = best, !candidate.beats(current, tiers) { continue }
            best = candidate
        }
        guard let best else {
            throw NoTierError(needs: request.needs, spendingLimit: request.spendingLimit, rejections: rejections)
        }
        for candidate in feasible where candidate.index != best.index {
            rejections.append(
                TierRejection(tierID: tiers[candidate.index].id, .cost(expected: candidate.expected, chosen: best.expected)))
        }
        let decision = RoutingDecision(
            tierID: tiers[best.index].id, expectedCost: best.expected, worstCaseCost: best.worst,
            predictedP95Seconds: best.p95, inputTokens: request.inputTokens,
            expectedOutputTokens: request.expectedOutputTokens, spendingLimit: request.spendingLimit,
            rejected: rejections)
        return Route(tier: tiers[best.index], index: best.index, decision: decision)
    }

    /// Why `tier` cannot serve `request` regardless of price, or `nil` if it can. Builds no
    /// text: it runs for every tier on every call; the explanation is rendered when read.
    func rejection(
        of tier: Tier, index: Int, p95: Double, for request: RouteRequest, conditions: TierConditions
    ) -> TierRejection.Facts? {
        let needs = request.needs
        if !request.excluded.isEmpty, let earlier = request.excluded[tier.id] {
            return earlier
        }
        if let allowed = needs.jurisdictions, !allowed.contains(tier.jurisdiction) {
            return .jurisdiction(tier: tier.jurisdiction, allowed: allowed)
        }
        if !needs.capabilities.isEmpty, !needs.capabilities.isSubset(of: tier.capabilities) {
            return .capability(missing: needs.capabilities.subtracting(tier.capabilities))
        }
        if tier.reasoningDepth < needs.reasoning {
            return .depth(tier: tier.reasoningDepth, needed: needs.reasoning)
        }
        let context = request.inputTokens + request.maxOutputTokens + (needs.minimumContext ?? 0)
        if context > tier.contextWindow {
            return .context(window: tier.contextWindow, needed: context)
        }
        if request.maxOutputTokens > tier.maxOutputTokens {
            return .maxOutput(limit: tier.maxOutputTokens, asked: request.maxOutputTokens)
        }
        // A batch API promises only its completion window, whatever its typical latency.
        if tier.batch, needs.latency.p95Seconds < LatencyNeed.batch.p95Seconds {
            return .batchOnly(need: needs.latency)
        }
        if p95 > needs.latency.p95Seconds {
            return .latency(predictedP95: p95, need: needs.latency)
        }
        if let condition = conditions[index] {
            switch condition.circuit {
            case .closed, .halfOpen: break
            case .open, .probing: return .unhealthy(condition.circuit)
            }
            if condition.saturated, let limit = tier.concurrencyLimit { return .busy(limit: limit) }
        }
        return nil
    }

    /// A feasible tier and what it would cost.
    private struct Candidate {
        var index: Int
        var expected: Money
        var worst: Money
        var p95: Double

        func beats(_ other: Candidate, _ tiers: [Tier]) -> Bool {
            if expected != other.expected { return expected < other.expected }
            if p95 != other.p95 { return p95 < other.p95 }
            if worst != other.worst { return worst < other.worst }
            return tiers[index].id < tiers[other.index].id
        }
    }
}

/// The chosen tier, where it is in the catalog, and the explained decision.
public struct Route: Sendable {
    public var tier: Tier
    /// Position in ``Router/tiers`` (and in ``TierConditions``).
    public var index: Int
    public var decision: RoutingDecision
}

/// What the router is asked: the call's needs, its token shape, and the limits on it.
public struct RouteRequest: Sendable, Hashable {
    /// Needs with jurisdictions already narrowed by the workflow's.
    public var needs: StepNeeds
    public var inputTokens: Int
    public var maxOutputTokens: Int
    /// Expected output, reasoning included: from the estimator's history, else the prior.
    public var expectedOutputTokens: Int
    /// The most this call may cost (what the budget has left); `nil` for no limit.
    public var spendingLimit: Money?
    /// Tiers this step already tried, with why they are out (failed, answer rejected).
    public var excluded: [String: TierRejection.Facts]

    public init(
        needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int, expectedOutputTokens: Int,
        spendingLimit: Money? = nil, excluded: [String: TierRejection.Facts] = [:]
    ) {
        self.needs = needs
        self.inputTokens = inputTokens
        self.maxOutputTokens = maxOutputTokens
        self.expectedOutputTokens = expectedOutputTokens
        self.spendingLimit = spendingLimit
        self.excluded = excluded
    }

    /// A request whose expected output comes from the prior for the step's bound and depth.
    public init(
        needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int, spendingLimit: Money? = nil
    ) {
        let expected =
            OutputPrior.visibleTokens(maxOutputTokens: maxOutputTokens)
            + OutputPrior.reasoningTokens(depth: needs.reasoning, maxOutputTokens: maxOutputTokens)
        self.init(
            needs: needs, inputTokens: inputTokens, maxOutputTokens: maxOutputTokens, expectedOutputTokens: expected,
            spendingLimit: spendingLimit)
    }
}

/// A routing decision as kept in a step record and shown by `purser run` and the API:
/// the tier, what it should cost, and why every other tier lost.
public struct RoutingDecision: Sendable, Hashable, Codable {
    public var tierID: String
    public var expectedCost: Money
    public var worstCaseCost: Money
    public var predictedP95Seconds: Double
    public var inputTokens: Int
    public var expectedOutputTokens: Int
    public var spendingLimit: Money?
    public var rejected: [TierRejection]
}

/// No tier can serve a call; says why each one was ruled out.
public struct NoTierError: Error, Sendable, Hashable, CustomStringConvertible {
    public var needs: StepNeeds
    public var spendingLimit: Money?
    public var rejections: [TierRejection]

    /// True when some tier met every need and only the budget kept it out: the budget's
    /// policy, not the catalog, decides what happens next.
    public var isBudgetLimited: Bool {
        rejections.contains { $0.reason == .overBudget }
    }

    public var description: String {
        if rejections.isEmpty { return "no tier meets the step's needs: the tier catalog is empty" }
        let fitting = rejections.compactMap { rejection -> Money? in
            if case .overBudget(let worst, _) = rejection.facts { return worst }
            return nil
        }
        if let cheapest = fitting.min(), let limit = spendingLimit {
            return "no tier's worst case fits the \(limit) the budget has left (the cheapest tier that meets the "
                + "step's needs could cost up to \(cheapest)): "
                + rejections.map(\.description).joined(separator: "; ")
        }
        return "no tier meets the step's needs: " + rejections.map(\.description).joined(separator: "; ")
    }
}
