import Foundation
import Purser

/// The savings benchmark as Markdown: the strategies' table, the targets, the per-class
/// table, and the diagnosis (why the router paid more, why it missed, what it never tried).
extension RoutingBenchReport {
    func savingsMarkdown(_ result: SavingsResult, _ catalog: PriceMapCatalog.Loaded) -> [String] {
        var lines: [String] = []
        lines.append(
            "Routing savings: \(result.steps) steps over \(result.tiers) tiers (\(result.batchTiers) batch) imported from "
                + "\((catalog.path as NSString).lastPathComponent), seed \(options.seed), simulated in \(format(result.seconds, 2)) s\n")
        lines.append("| strategy | cost | vs oracle | SLO misses | miss rate | most used tiers |")
        lines.append("|---|---:|---:|---:|---:|---|")
        let rows: [(String, SavingsResult.Totals)] = [
            ("router (online, learning)", result.router), ("hindsight oracle", result.oracle),
            ("strongest: deepest, dearest tier", result.strongest),
            ("deepest tier, cheapest of those", result.cheapestDeepest),
        ]
        for (name, totals) in rows {
            let top = totals.top(3).map { "\($0.id) (\(percent($0.steps, totals.steps)))" }.joined(separator: ", ")
            lines.append(
                "| \(name) | \(totals.cost) | \(format(result.ratio(totals.cost, result.oracle.cost), 3))× | "
                    + "\(totals.misses) | \(percent(totals.misses, totals.steps)) | \(top) |")
        }
        lines.append("")
        lines.append(
            "Compared \(result.compared) of \(result.steps) steps. Left out: \(result.infeasible) that no tier could serve "
                + "in time even in hindsight, and \(result.refused) (\(format(result.refusedRate * 100, 2))% of the feasible) "
                + "the router refused: no tier's predicted p95 met the need, though in hindsight one call was fast enough.")
        lines.append(
            "Router vs oracle \(format(result.routerOverOracle, 3))× (target ≤ \(Self.oracleTarget)×: "
                + "\(result.routerOverOracle <= Self.oracleTarget ? "met" : "missed")); on the steps where the router was "
                + "on time \(format(result.onTimeRouterOverOracle, 3))×. SLO misses \(percent(result.router.misses, result.compared)) "
                + "(target ≤ 1%: \(result.router.missRate <= Self.missTarget ? "met" : "missed")). Saves "
                + "\(format(result.savingsVersusStrongest * 100, 1))% vs the strongest tier, "
                + "\(format((1 - result.ratio(result.router.cost, result.cheapestDeepest.cost)) * 100, 1))% vs the cheapest deepest.")
        let informedFeasible = result.informed.steps + result.informedRefused
        lines.append(
            "The same rule with perfect latency knowledge (cheapest tier whose true p95 for the step meets the need): "
                + "\(format(result.ratio(result.informed.cost, result.informedOracleCost), 3))× the oracle on the "
                + "\(result.informed.steps) steps it served, \(percent(result.informed.misses, result.informed.steps)) "
                + "misses, refused \(result.informedRefused) (\(percent(result.informedRefused, informedFeasible))).")
        let common = result.versusInformed
        lines.append(
            "On the \(common.compared) steps both served, the router paid \(format(result.ratio(common.routerCost, common.oracleCost), 3))× "
                + "what that rule paid, with \(percent(common.routerMisses, common.compared)) misses against its "
                + "\(percent(result.informedLateOnCommonSteps, common.compared)).")
        lines.append("\n| latency class | compared | router cost | oracle cost | router/oracle | router misses | refused | infeasible |")
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for label in SavingsResult.classes {
            guard let totals = result.byClass[label] else { continue }
            lines.append(
                "| \(label) | \(totals.compared) | \(totals.routerCost) | \(totals.oracleCost) | "
                    + "\(format(result.ratio(totals.routerCost, totals.oracleCost), 3))× | \(totals.routerMisses) "
                    + "(\(percent(totals.routerMisses, totals.compared))) | \(totals.refused) | \(totals.infeasible) |")
        }
        lines.append("")
        let excess = result.excess.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append(
            "Where the router paid more than the oracle, it had passed over the oracle's tier as: "
                + (excess.isEmpty ? "never" : excess.joined(separator: "; ")) + ".")
        lines.append(
            "Router misses: \(result.missesStalled) on stalled calls (10×), \(result.missesOnPrior) on tiers still on "
                + "their catalog prior, \(result.missesLearned) on tiers with learned latency.")
        let refusedTop = result.refusedOracleTiers.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        let unexplored = result.refusedOracleTiers.filter { !result.routerChosen.contains($0.key) }.values.reduce(0, +)
        lines.append(
            "Refused steps the oracle served with a tier the router never chose: \(unexplored) of \(result.refused)"
                + (refusedTop.isEmpty ? "." : "; the oracle's tiers there: "
                    + refusedTop.prefix(3).map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + "."))
        lines.append(
            "Tiers chosen: router \(result.routerChosen.count), oracle \(result.oracle.tierUse.count); tiers with learned "
                + "latency at the end: \(result.learnedTiers); aliases dropped from the import: \(catalog.aliasesDropped).")
        return lines
    }
}
