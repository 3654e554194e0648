import Purser

/// The needs no strategy may break, latency aside: jurisdiction, capabilities, reasoning
/// depth, context window and output limit, and "a batch tier serves only batch steps".
///
/// The router has its own checks; the oracle and the baselines use these, so a difference in
/// cost between them comes from latency and price choices, never from a looser rulebook.
enum HardConstraints {
    static func allow(_ tier: Tier, _ request: RouteRequest) -> Bool {
        let needs = request.needs
        if let allowed = needs.jurisdictions, !allowed.contains(tier.jurisdiction) { return false }
        if !needs.capabilities.isSubset(of: tier.capabilities) { return false }
        if tier.reasoningDepth < needs.reasoning { return false }
        if request.inputTokens + request.maxOutputTokens + (needs.minimumContext ?? 0) > tier.contextWindow {
            return false
        }
        if request.maxOutputTokens > tier.maxOutputTokens { return false }
        if tier.batch, needs.latency.p95Seconds < LatencyNeed.batch.p95Seconds { return false }
        return true
    }
}
