import Purser
import Workflows

/// What one showcase workflow did in the demo: its estimate, its run, where each call ran,
/// its spend against its budget, and what the same tokens would have cost on the strongest
/// tier. Plain values, so the text and JSON reports read the same facts.
struct DemoOutcome: Sendable {
    /// A model call that ran: where, in which jurisdiction, at what cost.
    struct Call: Sendable {
        var step: String
        var tierID: String
        var jurisdiction: String
        var cost: Money
    }

    var showcase: Showcase
    var budget: Budget
    var estimate: RunEstimate
    var result: RunResult
    /// The budget's state after the run.
    var spend: BudgetStatus?
    var calls: [Call]
    /// The deepest-reasoning (then dearest) tier the workflow may use.
    var strongest: Tier?
    /// What every call's tokens would have cost on ``strongest``.
    var strongestCost: Money

    var saving: Money { max(strongestCost - result.totals.cost, .zero) }

    /// The saving in whole percent of the strongest tier's cost (0 when that cost is zero).
    var savingPercent: Int {
        guard strongestCost > .zero else { return 0 }
        return Int(saving.micros * 100 / strongestCost.micros)
    }

    /// True when the run was stopped by its budget (a run-scoped `stop` cap), which is what
    /// the planner-executor's showcase sets out to show.
    var stoppedByBudget: Bool { result.status == .failed && result.error?.code == .budgetExceeded }

    /// Whether the run ended as its showcase means it to: succeeded, or stopped by a `run` cap.
    var endedAsIntended: Bool {
        result.status == .succeeded || (stoppedByBudget && budget.scope == .run)
    }

    init(showcase: Showcase, budget: Budget, estimate: RunEstimate, result: RunResult, spend: BudgetStatus?, tiers: [Tier]) {
        self.showcase = showcase
        self.budget = budget
        self.estimate = estimate
        self.result = result
        self.spend = spend
        let byID = Dictionary(tiers.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        calls = result.records.flatMap { record in
            record.calls.map { call in
                Call(
                    step: record.key, tierID: call.tierID,
                    jurisdiction: byID[call.tierID]?.jurisdiction.rawValue ?? "?", cost: call.cost)
            }
        }
        let strongest = Self.strongest(of: tiers, for: showcase.workflow)
        self.strongest = strongest
        strongestCost = result.records.flatMap(\.calls).reduce(Money.zero) { total, call in
            total + (strongest?.pricing.cost(of: call.usage) ?? call.cost)
        }
    }

    /// The tier a team would pick to be safe: the deepest reasoning among those the workflow's
    /// jurisdictions allow, the dearest output price breaking ties.
    static func strongest(of tiers: [Tier], for workflow: Workflow) -> Tier? {
        let allowed = tiers.filter { tier in workflow.jurisdictions.map { $0.contains(tier.jurisdiction) } ?? true }
        let pool = allowed.isEmpty ? tiers : allowed
        return pool.max { a, b in
            (a.reasoningDepth, a.pricing.outputPerMillion) < (b.reasoningDepth, b.pricing.outputPerMillion)
        }
    }
}
