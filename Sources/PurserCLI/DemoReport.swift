import Purser

/// Renders `purser demo`'s outcomes for people (text) and programs (JSON).
enum DemoReport {
    static func render(_ outcomes: [DemoOutcome]) -> String {
        var out = "purser demo: \(outcomes.count) showcase workflows on the built-in simulator, budgets in memory\n"
        for outcome in outcomes { out += "\n" + section(outcome) }
        out += "\n" + summary(outcomes)
        return out
    }

    /// One workflow: its budget, estimate, run, routing, where it ran, spend, and saving.
    static func section(_ outcome: DemoOutcome) -> String {
        let result = outcome.result
        let estimate = outcome.estimate
        var out = "== \(outcome.showcase.workflow.name): \(outcome.showcase.shows)\n"
        out += "budget:    \(budgetLine(outcome.budget))\n"
        out += "estimate:  expected \(estimate.cost.expected), p95 \(estimate.cost.p95), worst \(estimate.cost.worst)"
            + " (confidence \(estimate.confidence.rawValue))\n"
        for step in estimate.steps where step.calls.worst > 1 {
            out += "           \(step.path): \(step.calls.p50) calls at p50, \(step.calls.p95) at p95, \(step.calls.worst) at worst\n"
        }
        out += "run:       \(result.id) \(result.status.rawValue); \(RunReport.totalsLine(result))\n"
        if outcome.stoppedByBudget, let error = result.error {
            out += "           stopped by its budget, as meant: \(error.message)\n"
        } else if let error = result.error {
            out += "           error [\(error.code)]: \(error.message)\n"
        }
        // The regulated workflow's decisions are spelled out: which tiers were ruled out, and why.
        let explain = outcome.showcase.auditTrail
        let routing = RunReport.routingLines(result.records, explain: explain)
        if !routing.isEmpty { out += "routing:\n" + routing.joined(separator: "\n") + "\n" }
        out += "ran on:    " + placements(outcome.calls) + "\n"
        if explain {
            out += "audit trail (every model call, where it ran):\n"
            for call in outcome.calls {
                out += "  \(call.step) → \(call.tierID) (\(call.jurisdiction)), \(call.cost)\n"
            }
        }
        if let spend = outcome.spend, let limit = spend.budget.limit {
            out += "spend:     \(spend.spent) of \(limit) for \(spend.budget.name) \(spend.periodKey)\n"
        }
        if let strongest = outcome.strongest {
            out += "strongest: \(strongest.id) for every call would have cost \(outcome.strongestCost) for the same tokens; "
                + "saved \(outcome.saving) (\(outcome.savingPercent)%)\n"
        }
        return out
    }

    /// `sim-nano (us) ×5, sim-mini (us) ×1`, in order of first use.
    static func placements(_ calls: [DemoOutcome.Call]) -> String {
        var order: [String] = []
        var counts: [String: Int] = [:]
        for call in calls {
            let key = "\(call.tierID) (\(call.jurisdiction))"
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.isEmpty ? "no model calls" : order.map { "\($0) ×\(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    static func budgetLine(_ budget: Budget) -> String {
        let limit = budget.limit.map { "\($0)" } ?? "-"
        return "\(budget.name) \(limit), policy \(budget.policy.rawValue)"
    }

    static func summary(_ outcomes: [DemoOutcome]) -> String {
        var table = TextTable([
            .init(title: "workflow", alignment: .left), .init(title: "status", alignment: .left),
            .init(title: "est. p95", alignment: .right), .init(title: "actual", alignment: .right),
            .init(title: "budget", alignment: .left), .init(title: "strongest-tier cost", alignment: .right),
            .init(title: "saving", alignment: .right),
        ])
        for outcome in outcomes {
            table.add([
                outcome.showcase.workflow.name,
                outcome.stoppedByBudget ? "stopped by budget" : outcome.result.status.rawValue,
                outcome.estimate.cost.p95.description,
                outcome.result.totals.cost.description,
                budgetLine(outcome.budget),
                outcome.strongestCost.description,
                "\(outcome.savingPercent)%",
            ])
        }
        let actual = outcomes.reduce(Money.zero) { $0 + $1.result.totals.cost }
        let strongest = outcomes.reduce(Money.zero) { $0 + $1.strongestCost }
        return table.render() + "total: \(actual) spent; \(strongest) on the strongest tiers\n"
    }

    static func json(_ outcomes: [DemoOutcome]) -> JSONValue {
        .array(outcomes.map { outcome in
            let result = outcome.result
            var run: [String: JSONValue] = [
                "id": .string(result.id.rawValue), "status": .string(result.status.rawValue),
                "cost": .string(result.totals.cost.description),
                "modelCalls": .number(Double(result.totals.modelCalls)),
                "toolCalls": .number(Double(result.totals.toolCalls)),
                "stoppedByBudget": .bool(outcome.stoppedByBudget),
            ]
            if let error = result.error {
                run["error"] = ["code": .string(error.code.rawValue), "message": .string(error.message)]
            }
            var document: [String: JSONValue] = [
                "workflow": .string(outcome.showcase.workflow.name),
                "shows": .string(outcome.showcase.shows),
                "budget": [
                    "name": .string(outcome.budget.name), "limit": .string(outcome.budget.limit?.description ?? ""),
                    "policy": .string(outcome.budget.policy.rawValue),
                    "spent": .string(outcome.spend?.spent.description ?? "0"),
                ],
                "estimate": [
                    "expected": .string(outcome.estimate.cost.expected.description),
                    "p50": .string(outcome.estimate.cost.p50.description),
                    "p95": .string(outcome.estimate.cost.p95.description),
                    "worst": .string(outcome.estimate.cost.worst.description),
                    "confidence": .string(outcome.estimate.confidence.rawValue),
                ],
                "run": .object(run),
                "calls": .array(outcome.calls.map { call in
                    [
                        "step": .string(call.step), "tier": .string(call.tierID),
                        "jurisdiction": .string(call.jurisdiction), "cost": .string(call.cost.description),
                    ]
                }),
                "routing": .array(routing(outcome.result.records)),
                "strongestTierCost": .string(outcome.strongestCost.description),
                "saving": .string(outcome.saving.description),
                "savingPercent": .number(Double(outcome.savingPercent)),
            ]
            if let strongest = outcome.strongest { document["strongestTier"] = .string(strongest.id) }
            return .object(document)
        })
    }

    /// Each model step's decision: the tier chosen and every tier passed over, with the reason.
    static func routing(_ records: [StepRecord]) -> [JSONValue] {
        records.compactMap { record -> JSONValue? in
            guard let decision = record.decision else { return nil }
            return [
                "step": .string(record.key), "tier": .string(decision.tierID),
                "expectedCost": .string(decision.expectedCost.description),
                "rejected": .array(decision.rejected.map { rejection in
                    ["tier": .string(rejection.tierID), "reason": .string(rejection.reason.rawValue), "detail": .string(rejection.detail)]
                }),
            ]
        }
    }
}
