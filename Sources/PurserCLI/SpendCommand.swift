import ArgumentParser
import Foundation
import Purser
import PurserSQLite

/// `purser spend`: what was spent, grouped, with cost per run and per successful run.
struct SpendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Report spend by workflow, tag, tier or day, with cost per run and per successful run.",
        discussion: """
            Counts what the ledger settled between --from and --to (UTC days, both included; default: \
            this month so far). Cost per successful run divides all of a group's cost, failed runs' \
            included, by its successful runs: what one outcome really cost.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "workflow, tag, tag:KEY, tier or day.")
    var by: String = "workflow"

    @Option(help: "First UTC day, YYYY-MM-DD (default: the first of this month).")
    var from: String?

    @Option(help: "Last UTC day, YYYY-MM-DD, included (default: today).")
    var to: String?

    @Flag(help: "Print CSV instead of a table.")
    var csv = false

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func run() throws {
        do throws(CLIFailure) {
            let grouping: SpendGrouping
            do { grouping = try SpendGrouping(parsing: by) } catch {
                throw CLIFailure(message: error.message, exitCode: ExitCodes.invalidInput)
            }
            let now = Date()
            var start = Self.firstOfMonth(now)
            if let from { start = try Self.day(from, flag: "--from") }
            var lastDay = Self.startOfDay(now)
            if let to { lastDay = try Self.day(to, flag: "--to") }
            let end = lastDay.addingTimeInterval(86_400)
            guard start < end else {
                throw CLIFailure(message: "--from must not be after --to", exitCode: ExitCodes.invalidInput)
            }
            let rows = try LedgerFile.read(global.dataDirectory, "spend") { try $0.spend(by: grouping, from: start, to: end) }
            if json {
                Terminal.standardOutput.write(BudgetReport.json(rows) + "\n")
            } else if csv {
                Terminal.standardOutput.write(Self.csv(rows))
            } else {
                Terminal.standardOutput.write(Self.table(rows))
            }
        } catch {
            Self.exit(with: error)
        }
    }

    static func table(_ rows: [SpendRow]) -> String {
        guard !rows.isEmpty else { return "no spend in this window\n" }
        var table = TextTable([
            .init(title: "group", alignment: .left), .init(title: "cost", alignment: .right),
            .init(title: "tokens", alignment: .right), .init(title: "calls", alignment: .right),
            .init(title: "runs", alignment: .right), .init(title: "succeeded", alignment: .right),
            .init(title: "cost/run", alignment: .right), .init(title: "cost/successful run", alignment: .right),
            .init(title: "reconciled", alignment: .right),
        ])
        for row in rows {
            table.add([
                row.key, row.cost.description, RunReport.grouped(row.tokens), String(row.calls), String(row.runs),
                String(row.successfulRuns), row.costPerRun?.description ?? "-",
                row.costPerSuccessfulRun?.description ?? "-",
                row.reconciledCalls == 0 ? "-" : "\(row.reconciledCost) (\(row.reconciledCalls) calls)",
            ])
        }
        return table.render()
    }

    static func csv(_ rows: [SpendRow]) -> String {
        var out = "group,cost,tokens,calls,runs,successful_runs,cost_per_run,cost_per_successful_run,reconciled_cost\n"
        for row in rows {
            let fields = [
                quoted(row.key), row.cost.description, String(row.tokens), String(row.calls), String(row.runs),
                String(row.successfulRuns), row.costPerRun?.description ?? "", row.costPerSuccessfulRun?.description ?? "",
                row.reconciledCost.description,
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func day(_ text: String, flag: String) throws(CLIFailure) -> Date {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            parts[0].count == 4, let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day
        else {
            throw CLIFailure(message: "\(flag) must be a day as YYYY-MM-DD, got '\(text)'", exitCode: ExitCodes.invalidInput)
        }
        return date
    }

    static func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    static func firstOfMonth(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? startOfDay(date)
    }
}
