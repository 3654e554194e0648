import Purser

/// Renders a finished run for people: output, per-step table, totals.
enum RunReport {
    static func render(_ result: RunResult) -> String {
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
