import Foundation
import Purser
import PurserSQLite

/// Renders budgets, their audit log and spend for people (tables) and programs (JSON).
enum BudgetReport {
    /// One JSON document; amounts are decimal strings, dates ISO 8601 in UTC.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }

    static func table(_ statuses: [BudgetStatus]) -> String {
        guard !statuses.isEmpty else { return "no budgets (set one with `purser budget set`)\n" }
        var table = TextTable([
            .init(title: "budget", alignment: .left), .init(title: "period", alignment: .left),
            .init(title: "limit", alignment: .right), .init(title: "spent", alignment: .right),
            .init(title: "reserved", alignment: .right), .init(title: "left", alignment: .right),
            .init(title: "tokens (limit/spent/left)", alignment: .right), .init(title: "soft", alignment: .right),
            .init(title: "policy", alignment: .left),
        ])
        for status in statuses {
            let budget = status.budget
            let tokens = budget.tokenLimit.map {
                "\(RunReport.grouped($0)) / \(RunReport.grouped(status.spentTokens)) / \(RunReport.grouped(status.tokensLeft ?? 0))"
            }
            table.add([
                budget.name, status.periodKey, budget.limit.map(\.description) ?? "-", status.spent.description,
                status.reserved.description, status.left.map(\.description) ?? "-", tokens ?? "-",
                budget.softThresholdPercent.map { "\($0)%" } ?? "-",
                budget.policy == .reject ? "reject (\(budget.admission.rawValue))" : budget.policy.rawValue,
            ])
        }
        return table.render()
    }

    static func history(_ changes: [BudgetChange]) -> String {
        guard !changes.isEmpty else { return "no budget changes yet\n" }
        var table = TextTable([
            .init(title: "when (UTC)", alignment: .left), .init(title: "who", alignment: .left),
            .init(title: "budget", alignment: .left), .init(title: "change", alignment: .left),
            .init(title: "reason", alignment: .left),
        ])
        for change in changes {
            table.add([
                timestamp(change.at), change.actor, change.budget,
                "\(summary(change.old)) → \(change.action == .remove ? "removed" : summary(change.new))",
                change.reason ?? "-",
            ])
        }
        return table.render()
    }

    static func describe(_ change: BudgetChange) -> String {
        "set \(change.budget): \(summary(change.new)) (was: \(summary(change.old)))"
    }

    /// `limit 500.00, 1,000,000 tokens, soft 80%, degrade`, or `none`.
    static func summary(_ budget: Budget?) -> String {
        guard let budget else { return "none" }
        var parts: [String] = []
        if let limit = budget.limit { parts.append("limit \(limit)") }
        if let tokens = budget.tokenLimit { parts.append("\(RunReport.grouped(tokens)) tokens") }
        if let soft = budget.softThresholdPercent { parts.append("soft \(soft)%") }
        parts.append(budget.policy == .reject ? "reject on \(budget.admission.rawValue)" : budget.policy.rawValue)
        return parts.joined(separator: ", ")
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
