import Purser

/// The strategies the router is compared with. Each sees the same calls (``HiddenLatency``
/// is a function of step and tier) and the same hard needs (``HardConstraints``).
extension SavingsBenchmark {
    /// The cheapest tier, at the step's actual tokens, that meets every hard need and whose
    /// actual latency on this very call met the step's latency need; `nil` if none did.
    func oracleChoice(_ step: Int, _ workload: WorkloadStep, _ hidden: HiddenLatency) -> (index: Int, cost: Money)? {
        var best: (index: Int, cost: Money, seconds: Double)?
        let need = workload.needs.latency.p95Seconds
        for index in tiers.indices where HardConstraints.allow(tiers[index], workload.request) {
            let cost = tiers[index].pricing.cost(of: workload.actualUsage)
            if let current = best, cost > current.cost { continue }
            let seconds = hidden.call(step: step, tier: index, outputTokens: workload.actualOutputTokens).seconds
            guard seconds <= need else { continue }
            if let current = best, cost == current.cost, seconds >= current.seconds { continue }
            best = (index, cost, seconds)
        }
        return best.map { ($0.index, $0.cost) }
    }

    /// The router's rule with perfect knowledge: the cheapest tier at expected tokens whose
    /// true p95 duration for this step (its output spread and the tier's hidden latency
    /// model, simulated) meets the need. Shows what the targets ask of any p95 router.
    func informedChoice(_ step: Int, _ workload: WorkloadStep, _ hidden: HiddenLatency) -> Int? {
        let usage = TokenUsage(
            inputTokens: workload.request.inputTokens, outputTokens: workload.request.expectedOutputTokens)
        let candidates = tiers.indices.filter { HardConstraints.allow(tiers[$0], workload.request) }
            .map { (index: $0, cost: tiers[$0].pricing.cost(of: usage)) }
            .sorted { $0.cost != $1.cost ? $0.cost < $1.cost : tiers[$0.index].id < tiers[$1.index].id }
        let need = workload.needs.latency.p95Seconds
        return candidates.first { hidden.trueP95(step: step, workload, tier: $0.index) <= need }?.index
    }

    /// What a team without routing would call, among the realtime tiers that meet the step's
    /// jurisdiction, capability and size needs (latency ignored): the deepest tier, and of
    /// those the dearest (`deepestDearest`) or the cheapest, at the step's expected tokens.
    func baseline(_ step: WorkloadStep, deepestDearest: Bool) -> Int {
        var request = step.request
        request.needs.reasoning = .none
        let usage = TokenUsage(inputTokens: request.inputTokens, outputTokens: request.expectedOutputTokens)
        let allowed = tiers.indices.filter { !tiers[$0].batch && HardConstraints.allow(tiers[$0], request) }
        precondition(!allowed.isEmpty, "the oracle found a tier, so a realtime one meets the hard needs")
        return allowed.max { a, b in
            let (ta, tb) = (tiers[a], tiers[b])
            if ta.reasoningDepth != tb.reasoningDepth { return ta.reasoningDepth < tb.reasoningDepth }
            let (ca, cb) = (ta.pricing.cost(of: usage), tb.pricing.cost(of: usage))
            if ca != cb { return deepestDearest ? ca < cb : ca > cb }
            return ta.id > tb.id
        }!
    }
}
