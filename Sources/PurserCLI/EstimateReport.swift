import Purser

/// Renders estimates and calibration reports for people.
enum EstimateReport {
    static func render(_ estimate: RunEstimate) -> String {
        var table = TextTable([
            .init(title: "step", alignment: .left), .init(title: "tier/tool", alignment: .left),
            .init(title: "calls", alignment: .right), .init(title: "in (exp/p95/worst)", alignment: .right),
            .init(title: "out (exp/p95/worst)", alignment: .right), .init(title: "reasoning", alignment: .right),
            .init(title: "cost exp", alignment: .right), .init(title: "cost p95", alignment: .right),
            .init(title: "cost worst", alignment: .right), .init(title: "confidence", alignment: .left),
        ])
        for step in estimate.steps {
            table.add([
                step.path, step.tierID ?? "tool",
                "\(step.calls.expected)/\(step.calls.worst)",
                tokens(step.inputTokens), tokens(step.outputTokens),
                RunReport.grouped(step.reasoningTokens.expected),
                step.cost.expected.fixedDescription, step.cost.p95.fixedDescription, step.cost.worst.fixedDescription,
                step.confidence.rawValue,
            ])
        }
        var out = "estimate for \(estimate.workflow) (\(estimate.samples) samples, seed \(estimate.seed), confidence \(estimate.confidence.rawValue))\n\n"
        out += table.render()
        out += "\n" + totals(estimate) + "\n"
        return out
    }

    static func totals(_ estimate: RunEstimate) -> String {
        let cost = estimate.cost
        return "total cost: expected \(cost.expected), p50 \(cost.p50), p95 \(cost.p95), worst \(cost.worst)\n"
            + "total tokens: in \(tokens(estimate.inputTokens)), out \(tokens(estimate.outputTokens)), "
            + "reasoning \(tokens(estimate.reasoningTokens)) (expected/p95/worst)"
    }

    static func tokens(_ stats: EstimateStats<Int>) -> String {
        "\(RunReport.grouped(stats.expected))/\(RunReport.grouped(stats.p95))/\(RunReport.grouped(stats.worst))"
    }

    static func render(_ reports: [CalibrationReport]) -> String {
        guard !reports.isEmpty else { return "no calibration data yet: run a workflow first\n" }
        var table = TextTable([
            .init(title: "workflow", alignment: .left), .init(title: "runs", alignment: .right),
            .init(title: "actual ≤ p95", alignment: .right), .init(title: "actual ≤ worst", alignment: .right),
            .init(title: "expected-cost MAPE", alignment: .right),
        ])
        for report in reports {
            table.add([
                report.workflow, String(report.runs), percent(report.p95Coverage), percent(report.worstCaseCoverage),
                percent(report.expectedCostMAPE),
            ])
        }
        return table.render()
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10) %"
    }
}
