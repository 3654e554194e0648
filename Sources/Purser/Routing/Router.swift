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
    /// What routing reads of each tier, without references: copying a `Tier` retains its
    /// strings and sets, which cost more than the whole check.
    private let profiles: [TierProfile]
    /// Each distinct jurisdiction's bit, so a step's allowed set becomes one mask per request.
    private let jurisdictionBits: [Jurisdiction: UInt64]

    public init(tiers: [Tier]) {
        self.tiers = tiers
        var bits: [Jurisdiction: UInt64] = [:]
        for tier in tiers where bits[tier.jurisdiction] == nil {
            // Past 64 distinct jurisdictions the mask can't tell them apart: those share the last
            // bit and are checked by name.
            bits[tier.jurisdiction] = 1 << UInt64(min(bits.count, 63))
        }
        jurisdictionBits = bits
        profiles = tiers.map { TierProfile($0, jurisdictionBit: bits[$0.jurisdiction] ?? 0) }
    }

    /// Chooses a tier, or throws ``NoTierError`` saying why each tier was ruled out.
    ///
    /// Ties on expected cost go to the faster tier (lower predicted p95), then the lower worst
    /// case, then the lower id, so the order of the catalog never changes a decision.
    public func route(_ request: RouteRequest, conditions: TierConditions = .nominal) throws(NoTierError) -> Route {
        let needs = request.needs
        var allowedMask = UInt64.max
        var checkNamesToo = false
        if let allowed = needs.jurisdictions {
            allowedMask = 0
            for jurisdiction in allowed {
                if let bit = jurisdictionBits[jurisdiction] {
                    allowedMask |= bit
                    checkNamesToo = checkNamesToo || bit == 1 << 63
                }
            }
        }
        let neededCapabilities = TierProfile.mask(needs.capabilities)
        let contextNeeded = request.inputTokens + request.maxOutputTokens + (needs.minimumContext ?? 0)
        let expectedUsage = TokenUsage(inputTokens: request.inputTokens, outputTokens: request.expectedOutputTokens)
        let excludedIndices = request.excluded.isEmpty ? [] : Set(tiers.indices.filter { request.excluded[tiers[$0].id] != nil })

        var entries: [CompactRejection] = []
        entries.reserveCapacity(profiles.count)
        var best: Candidate?
        var bestEntry = -1
        for index in profiles.indices {
            let profile = profiles[index]
            let condition = conditions[index]
            let latency = condition?.latency ?? profile.latency
            let p95 = latency.p95Seconds(
                expectedOutputTokens: request.expectedOutputTokens, p95OutputTokens: request.p95OutputTokens)
            var facts: CompactFacts?
            if !excludedIndices.isEmpty, excludedIndices.contains(index) {
                facts = .excluded
            } else if profile.jurisdictionBit & allowedMask == 0
                || (checkNamesToo && !(needs.jurisdictions?.contains(tiers[index].jurisdiction) ?? true))
            {
                facts = .jurisdiction
            } else if neededCapabilities & ~profile.capabilities != 0 {
                facts = .capability(missing: neededCapabilities & ~profile.capabilities)
            } else if profile.depth < needs.reasoning {
                facts = .depth(tier: profile.depth, needed: needs.reasoning)
            } else if contextNeeded > profile.contextWindow {
                facts = .context(window: profile.contextWindow, needed: contextNeeded)
            } else if request.maxOutputTokens > profile.maxOutputTokens {
                facts = .maxOutput(limit: profile.maxOutputTokens, asked: request.maxOutputTokens)
            } else if profile.batch, needs.latency.p95Seconds < LatencyNeed.batch.p95Seconds {
                // A batch API promises only its completion window, whatever its typical latency.
                facts = .batchOnly
            } else if p95 > needs.latency.p95Seconds {
                facts = .latency(predictedP95: p95)
            } else if let condition, condition.circuit.refusesCalls {
                facts = .unhealthy(condition.circuit)
            } else if let condition, condition.saturated, let limit = profile.concurrencyLimit {
                facts = .busy(limit: limit)
            }
            if let facts {
                entries.append(CompactRejection(index: index, facts: facts))
                continue
            }
            let worst = profile.pricing.worstCaseCost(
                inputTokens: request.inputTokens, maxOutputTokens: request.maxOutputTokens)
            if let limit = request.spendingLimit, worst > limit {
                entries.append(CompactRejection(index: index, facts: .overBudget(worstCase: worst)))
                continue
            }
            let candidate = Candidate(index: index, expected: profile.pricing.cost(of: expectedUsage), worst: worst, p95: p95)
            // Every feasible tier is entered as too dear; the winner's entry is taken out at the end.
            entries.append(CompactRejection(index: index, facts: .cost(expected: candidate.expected)))
            if let current = best, !candidate.beats(current, tiers) { continue }
            best = candidate
            bestEntry = entries.count - 1
        }
        guard let best else {
            throw NoTierError(
                needs: needs, spendingLimit: request.spendingLimit,
                rejections: RoutingExplanation(tiers: tiers, entries: entries, request: request, chosenCost: .zero)
                    .rejections)
        }
        entries.remove(at: bestEntry)
        let decision = RoutingDecision(
            tierID: tiers[best.index].id, expectedCost: best.expected, worstCaseCost: best.worst,
            predictedP95Seconds: best.p95, inputTokens: request.inputTokens,
            expectedOutputTokens: request.expectedOutputTokens, spendingLimit: request.spendingLimit,
            explanation: RoutingExplanation(tiers: tiers, entries: entries, request: request, chosenCost: best.expected))
        return Route(tier: tiers[best.index], index: best.index, decision: decision)
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

/// A tier as routing reads it: plain values only.
private struct TierProfile {
    var pricing: Pricing
    var latency: LatencyModel
    var depth: ReasoningDepth
    var contextWindow: Int
    var maxOutputTokens: Int
    var capabilities: UInt8
    var jurisdictionBit: UInt64
    var concurrencyLimit: Int?
    var batch: Bool

    init(_ tier: Tier, jurisdictionBit: UInt64) {
        pricing = tier.pricing
        latency = tier.latency
        depth = tier.reasoningDepth
        contextWindow = tier.contextWindow
        maxOutputTokens = tier.maxOutputTokens
        capabilities = Self.mask(tier.capabilities)
        self.jurisdictionBit = jurisdictionBit
        concurrencyLimit = tier.concurrencyLimit
        batch = tier.batch
    }

    static func mask(_ capabilities: Set<Capability>) -> UInt8 {
        var mask: UInt8 = 0
        for capability in capabilities { mask |= capability.routingBit }
        return mask
    }
}

extension Capability {
    /// The capability's bit in the router's masks.
    var routingBit: UInt8 {
        switch self {
        case .tools: 1
        case .json: 2
        }
    }
}

extension CircuitState {
    /// Open, or recovering with its one probe already out.
    var refusesCalls: Bool {
        switch self {
        case .closed, .halfOpen: false
        case .open, .probing: true
        }
    }
}
