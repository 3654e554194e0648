import Purser

/// Renders a finished run for people: output, per-step table, totals.
enum RunReport {
    static func render(_ result: RunResult, explain: Bool = false) -> String {
        var out = ""
        out += "\(result.workflow) · \(result.id) · \(result.status.rawValue)\n"
        if let error = result.error {
            out += "error [\(error.code)]: \(error)\n"
        }
        if let output = result.output {
            out += "\noutput:\n"
            out += (output.stringValue ?? output.prettyJSON) + "\n"
        }
        out += "\n" + stepTable(result.records)
        out += totalsLine(result) + "\n"
        out += routing(result.records, explain: explain)
        if let estimate = result.estimate {
            let cost = estimate.cost
            out += "estimated cost: expected \(cost.expected), p95 \(cost.p95), worst \(cost.worst); "
                + "actual \(result.totals.cost) (confidence \(estimate.confidence.rawValue))\n"
        }
        return out
    }

    static func stepTable(_ records: [StepRecord]) -> String {
        var table = TextTable([
            .init(title: "step", alignment: .left), .init(title: "tier/tool", alignment: .left),
            .init(title: "in", alignment: .right), .init(title: "out", alignment: .right),
            .init(title: "reasoning", alignment: .right), .init(title: "cached", alignment: .right),
            .init(title: "cost", alignment: .right), .init(title: "latency", alignment: .right),
            .init(title: "attempts", alignment: .right), .init(title: "status", alignment: .left),
        ])
        for record in records.sorted(by: { $0.startedAt < $1.startedAt || ($0.startedAt == $1.startedAt && $0.key < $1.key) }) {
            let isModel = record.tierID != nil
            table.add([
                record.key,
                record.tierID ?? record.tool.map { "tool:\($0)" } ?? "-",
                isModel ? grouped(record.usage.inputTokens) : "-",
                isModel ? grouped(record.usage.outputTokens) + (record.usageIsEstimated ? "~" : "") : "-",
                isModel ? grouped(record.usage.reasoningTokens) : "-",
                isModel ? grouped(record.usage.cachedInputTokens) : "-",
                isModel ? record.cost.fixedDescription : "-",
                seconds(record.latency),
                String(record.attempts),
                record.status.rawValue,
            ])
        }
        return table.render()
    }

    /// Why each model step went where it went: one line per step and tier (a for-each's
    /// items share one), every fallback and escalation, and with `explain` why each other
    /// tier lost.
    static func routing(_ records: [StepRecord], explain: Bool) -> String {
        let lines = routingLines(records, explain: explain)
        return lines.isEmpty ? "" : "\nrouting:\n" + lines.joined(separator: "\n") + "\n"
    }

    /// The lines of ``routing(_:explain:)``, without its heading.
    static func routingLines(_ records: [StepRecord], explain: Bool) -> [String] {
        var seen: Set<String> = []
        var lines: [String] = []
        for record in records where record.decision != nil && record.status != .replayed {
            guard let decision = record.decision else { continue }
            let path = StepPath.of(key: record.key)
            let tried = record.calls.map(\.tierID).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            if tried.count > 1 {
                let steps = record.calls.map { "\($0.tierID) \($0.outcome.rawValue)" }
                lines.append("  \(record.key): " + steps.joined(separator: " → "))
            }
            guard seen.insert(path + "\u{0}" + decision.tierID).inserted else { continue }
            var line = "  \(path) → \(decision.tierID): expected \(decision.expectedCost), worst \(decision.worstCaseCost), "
                + "p95 \(seconds(decision.predictedP95Seconds))"
            if let limit = decision.spendingLimit { line += ", budget left \(limit)" }
            if !explain, !decision.rejected.isEmpty {
                line += "; passed over: " + decision.rejected.map { "\($0.tierID) \($0.reason.rawValue)" }.joined(separator: ", ")
            }
            lines.append(line)
            if explain {
                for rejection in decision.rejected {
                    lines.append("      \(rejection.tierID): \(rejection.reason.rawValue) (\(rejection.detail))")
                }
            }
        }
        return lines
    }

    static func totalsLine(_ result: RunResult) -> String {
        let totals = result.totals
        return "total: \(totals.modelCalls) model calls, \(totals.toolCalls) tool calls, "
            + "\(grouped(totals.usage.inputTokens)) in / \(grouped(totals.usage.outputTokens)) out "
            + "(\(grouped(totals.usage.reasoningTokens)) reasoning), cost \(totals.cost), "
            + "wall time \(seconds(result.duration))"
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func seconds(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = String(hundredths % 100)
        return "\(hundredths / 100).\(fraction.count == 1 ? "0" + fraction : fraction) s"
    }
}
