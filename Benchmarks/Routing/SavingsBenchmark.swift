import Purser

/// What routing saves on a mixed workload, against always using the strongest tier and
/// against a hindsight oracle; and, to tell the router's own shortfall from the oracle's
/// hindsight, against the router's rule applied with perfect latency knowledge.
///
/// The router runs online: before each call it reads the conditions of a ``TierMonitor``,
/// the call takes as long as ``HiddenLatency`` says, and the monitor learns from it, while
/// a virtual clock moves one second per call. Every strategy is charged the step's actual
/// tokens at its chosen tier's prices. Costs and misses are compared over the steps the
/// router served and the oracle could serve; steps no tier could have served in time even in
/// hindsight, and steps the router refused, are counted apart.
struct SavingsBenchmark {
    let tiers: [Tier]
    let steps: [WorkloadStep]
    let seed: UInt64

    func run() -> SavingsResult {
        let hidden = HiddenLatency(tiers: tiers, seed: seed)
        let clock = VirtualClock()
        let monitor = TierMonitor(tiers: tiers, clock: clock)
        let router = Router(tiers: tiers)
        var result = SavingsResult(steps: steps.count, tiers: tiers.count, batchTiers: tiers.filter(\.batch).count)
        for (index, step) in steps.enumerated() {
            defer { clock.advance(by: .seconds(1)) }
            let conditions = monitor.conditions()
            let routed: Route?
            do throws(NoTierError) {
                routed = try router.route(step.request, conditions: conditions)
            } catch {
                routed = nil
            }
            var routerCall: HiddenLatency.Call?
            if let routed {
                let call = hidden.call(step: index, tier: routed.index, outputTokens: step.actualOutputTokens)
                routerCall = call
                result.routerChosen.insert(tiers[routed.index].id)
                precondition(monitor.tryAcquire(routed.index), "a closed circuit with no concurrency limit admits")
                monitor.release(
                    routed.index,
                    outcome: .succeeded(
                        timeToFirstToken: call.timeToFirstToken, outputTokens: step.actualOutputTokens,
                        seconds: call.seconds))
            }
            let label = SavingsResult.label(step.needs.latency)
            guard let oracle = oracleChoice(index, step, hidden) else {
                result.byClass[label, default: .init()].infeasible += 1
                continue
            }
            let informed = informedChoice(index, step, hidden)
            var informedCost = Money.zero
            var informedLate = false
            if let informed {
                let call = hidden.call(step: index, tier: informed, outputTokens: step.actualOutputTokens)
                informedCost = tiers[informed].pricing.cost(of: step.actualUsage)
                informedLate = call.seconds > step.needs.latency.p95Seconds
                result.informed.add(tiers[informed].id, informedCost, missed: informedLate)
                result.informedOracleCost += oracle.cost
            } else {
                result.informedRefused += 1
            }
            guard let routed, let routerCall else {
                result.byClass[label, default: .init()].refused += 1
                result.refusedOracleTiers[tiers[oracle.index].id, default: 0] += 1
                continue
            }
            let need = step.needs.latency.p95Seconds
            let routerCost = tiers[routed.index].pricing.cost(of: step.actualUsage)
            let late = routerCall.seconds > need
            result.router.add(tiers[routed.index].id, routerCost, missed: late)
            result.oracle.add(tiers[oracle.index].id, oracle.cost, missed: false)
            for (deepestDearest, keyPath) in [(true, \SavingsResult.strongest), (false, \SavingsResult.cheapestDeepest)] {
                let baseline = baseline(step, deepestDearest: deepestDearest)
                let call = hidden.call(step: index, tier: baseline, outputTokens: step.actualOutputTokens)
                result[keyPath: keyPath].add(
                    tiers[baseline].id, tiers[baseline].pricing.cost(of: step.actualUsage), missed: call.seconds > need)
            }
            result.byClass[label, default: .init()].add(router: routerCost, oracle: oracle.cost, missed: late)
            if informed != nil {
                result.versusInformed.add(router: routerCost, oracle: informedCost, missed: late)
                if informedLate { result.informedLateOnCommonSteps += 1 }
            }
            if late {
                if routerCall.stalled {
                    result.missesStalled += 1
                } else if conditions[routed.index]?.latency == nil {
                    result.missesOnPrior += 1
                } else {
                    result.missesLearned += 1
                }
            } else {
                result.onTimeRouterCost += routerCost
                result.onTimeOracleCost += oracle.cost
            }
            if routerCost > oracle.cost {
                let reason = routed.decision.rejected.first { $0.tierID == tiers[oracle.index].id }?.reason
                result.excess[SavingsResult.excessLabel(reason), default: .zero] += routerCost - oracle.cost
            }
        }
        result.learnedTiers = monitor.health().filter { $0.learnedLatency != nil }.count
        return result
    }
}
