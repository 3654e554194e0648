import Foundation
import Purser

/// The results as one JSON document, for CI and for comparing commits.
extension RoutingBenchReport {
    var json: JSONValue {
        var document: [String: JSONValue] = [
            "seed": .number(Double(options.seed)), "cores": .number(Double(ProcessInfo.processInfo.activeProcessorCount)),
        ]
        if !latency.isEmpty {
            document["latency"] = .array(
                latency.map { result in
                    [
                        "tiers": .number(Double(result.tiers)),
                        "decisionsPerRepetition": .number(Double(result.decisionsPerRepetition)),
                        "repetitions": .number(Double(result.samples.count)),
                        "medianNanosecondsPerDecision": .number(result.median.rounded()),
                        "minNanosecondsPerDecision": .number(result.best.rounded()),
                        "medianNanosecondsWithExplanationRendered": .number(result.renderedMedian.rounded()),
                        "noTierPerRepetition": .number(Double(result.noTier)),
                        "conditionsSnapshotNanoseconds": .number(result.conditionsNanoseconds.rounded()),
                        "learnedTiers": .number(Double(result.learnedTiers)),
                        "unhealthyTiers": .number(Double(result.unhealthyTiers)),
                        "saturatedTiers": .number(Double(result.saturatedTiers)),
                        "checksum": .number(Double(result.checksum & 0xFFFF_FFFF)),
                    ]
                })
        }
        if let savings, let catalog { document["savings"] = savingsJSON(savings, catalog) }
        return .object(document)
    }

    private func savingsJSON(_ result: SavingsResult, _ catalog: PriceMapCatalog.Loaded) -> JSONValue {
        func totals(_ totals: SavingsResult.Totals) -> JSONValue {
            [
                "cost": .string(totals.cost.description), "misses": .number(Double(totals.misses)),
                "missRate": .number(rounded(totals.missRate, 6)),
                "versusOracle": .number(rounded(result.ratio(totals.cost, result.oracle.cost), 4)),
                "tiersUsed": .number(Double(totals.tierUse.count)),
                "topTiers": .array(totals.top(3).map { ["tier": .string($0.id), "steps": .number(Double($0.steps))] }),
            ]
        }
        var classes: [String: JSONValue] = [:]
        for (label, value) in result.byClass {
            classes[label] = [
                "compared": .number(Double(value.compared)), "refused": .number(Double(value.refused)),
                "infeasible": .number(Double(value.infeasible)), "routerCost": .string(value.routerCost.description),
                "oracleCost": .string(value.oracleCost.description),
                "routerMisses": .number(Double(value.routerMisses)),
            ]
        }
        return [
            "pricesFile": .string(catalog.path), "steps": .number(Double(result.steps)),
            "tiers": .number(Double(result.tiers)), "batchTiers": .number(Double(result.batchTiers)),
            "aliasesDropped": .number(Double(catalog.aliasesDropped)),
            "compared": .number(Double(result.compared)), "infeasible": .number(Double(result.infeasible)),
            "refused": .number(Double(result.refused)), "refusedRate": .number(rounded(result.refusedRate, 6)),
            "router": totals(result.router), "oracle": totals(result.oracle),
            "strongest": totals(result.strongest), "cheapestDeepest": totals(result.cheapestDeepest),
            "routerOverOracle": .number(rounded(result.routerOverOracle, 4)),
            "onTimeRouterOverOracle": .number(rounded(result.onTimeRouterOverOracle, 4)),
            "savingsVersusStrongest": .number(rounded(result.savingsVersusStrongest, 4)),
            "informed": totals(result.informed),
            "informedOverOracle": .number(rounded(result.ratio(result.informed.cost, result.informedOracleCost), 4)),
            "informedRefused": .number(Double(result.informedRefused)),
            "routerOverInformed": .number(
                rounded(result.ratio(result.versusInformed.routerCost, result.versusInformed.oracleCost), 4)),
            "commonStepsWithInformed": .number(Double(result.versusInformed.compared)),
            "routerMissesOnCommonSteps": .number(Double(result.versusInformed.routerMisses)),
            "informedMissesOnCommonSteps": .number(Double(result.informedLateOnCommonSteps)),
            "byLatencyClass": .object(classes),
            "excessOverOracle": .object(result.excess.mapValues { .string($0.description) }),
            "missesStalled": .number(Double(result.missesStalled)),
            "missesOnPrior": .number(Double(result.missesOnPrior)),
            "missesLearned": .number(Double(result.missesLearned)),
            "learnedTiers": .number(Double(result.learnedTiers)),
            "seconds": .number(rounded(result.seconds, 3)),
        ]
    }
}
