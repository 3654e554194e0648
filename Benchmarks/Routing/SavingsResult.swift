import Purser

/// The savings benchmark's totals, per strategy and per latency class, with where the
/// router's extra cost over the oracle came from and why its SLO misses happened.
struct SavingsResult: Sendable {
    /// One strategy over the compared steps.
    struct Totals: Sendable {
        var steps = 0
        var cost = Money.zero
        /// Calls whose actual latency exceeded the step's need.
        var misses = 0
        /// Steps per chosen tier id.
        var tierUse: [String: Int] = [:]

        mutating func add(_ tierID: String, _ cost: Money, missed: Bool) {
            steps += 1
            self.cost += cost
            if missed { misses += 1 }
            tierUse[tierID, default: 0] += 1
        }

        var missRate: Double { steps == 0 ? 0 : Double(misses) / Double(steps) }

        /// The most used tiers, most used first.
        func top(_ count: Int) -> [(id: String, steps: Int)] {
            tierUse.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(count)
                .map { ($0.key, $0.value) }
        }
    }

    struct ClassTotals: Sendable {
        var compared = 0
        var refused = 0
        var infeasible = 0
        var routerCost = Money.zero
        var oracleCost = Money.zero
        var routerMisses = 0

        mutating func add(router: Money, oracle: Money, missed: Bool) {
            compared += 1
            routerCost += router
            oracleCost += oracle
            if missed { routerMisses += 1 }
        }
    }

    var steps: Int
    var tiers: Int
    var batchTiers: Int
    var router = Totals()
    var oracle = Totals()
    /// The deepest, dearest realtime tier meeting the step's hard needs (the brief's "strongest").
    var strongest = Totals()
    /// The deepest realtime tier meeting the step's hard needs, the cheapest of those.
    var cheapestDeepest = Totals()
    /// The router's rule with each tier's true latency distribution known (over the steps
    /// the oracle could serve and it found a tier for).
    var informed = Totals()
    /// The oracle's cost over the steps ``informed`` served.
    var informedOracleCost = Money.zero
    /// Steps the oracle could serve but no tier's true p95 met the need.
    var informedRefused = 0
    /// Router (as `router…`) against the informed rule (as `oracle…`) on the steps both served.
    var versusInformed = ClassTotals()
    /// The informed rule's misses on those steps.
    var informedLateOnCommonSteps = 0
    var byClass: [String: ClassTotals] = [:]
    /// Every tier the router chose, on any step.
    var routerChosen: Set<String> = []
    /// For refused steps: the tier the oracle used, by id.
    var refusedOracleTiers: [String: Int] = [:]
    /// The router's cost above the oracle's, by why the router passed over the oracle's tier.
    var excess: [String: Money] = [:]
    /// Costs over the compared steps where the router's call was on time.
    var onTimeRouterCost = Money.zero
    var onTimeOracleCost = Money.zero
    /// Router misses on a call that stalled (10×).
    var missesStalled = 0
    /// Router misses on a tier whose latency was still the catalog's prior when chosen.
    var missesOnPrior = 0
    /// Router misses on a tier with learned latency, with no stall.
    var missesLearned = 0
    var learnedTiers = 0
    var seconds = 0.0

    /// Steps the router served and the oracle could serve: the ones costs are compared on.
    var compared: Int { router.steps }
    /// Steps some tier could have served in time (in hindsight) but the router found no tier for.
    var refused: Int { byClass.values.reduce(0) { $0 + $1.refused } }
    /// Steps no tier could have served in time even in hindsight.
    var infeasible: Int { byClass.values.reduce(0) { $0 + $1.infeasible } }
    var refusedRate: Double { Double(refused) / Double(max(compared + refused, 1)) }
    var routerOverOracle: Double { ratio(router.cost, oracle.cost) }
    var onTimeRouterOverOracle: Double { ratio(onTimeRouterCost, onTimeOracleCost) }
    var savingsVersusStrongest: Double { 1 - ratio(router.cost, strongest.cost) }

    func ratio(_ a: Money, _ b: Money) -> Double {
        b.micros == 0 ? 0 : Double(a.micros) / Double(b.micros)
    }

    static let classes = ["interactive", "standard", "batch"]

    static func label(_ need: LatencyNeed) -> String {
        switch need {
        case .interactive: "interactive"
        case .standard: "standard"
        case .batch: "batch"
        case .p95: "p95"
        }
    }

    static func excessLabel(_ reason: TierRejection.Reason?) -> String {
        switch reason {
        case .tooSlow: "predicted too slow"
        case .tooDear: "dearer at expected tokens"
        case .unhealthy, .busy: "unhealthy or busy"
        case nil: "not considered"
        case .some(let other): "ruled out: \(other.rawValue)"
        }
    }
}
