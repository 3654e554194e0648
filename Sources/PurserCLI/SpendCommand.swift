import ArgumentParser
import Foundation
import Purser
import PurserSQLite

/// `purser spend`: what was spent, grouped, with cost per run and per successful run.
struct SpendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spend",
        abstract: "Report spend by workflow, tag, tier or day, with cost per run and per successful run.",
        discussion: """
            Counts what the ledger settled between --from and --to (UTC days, both included; default: \
            this month so far; --to alone: its month up to that day). Cost per successful run divides \
            all of a group's cost, failed runs' included, by its successful runs: what one outcome \
            really cost.
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

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let grouping: SpendGrouping
            do { grouping = try SpendGrouping(parsing: by) } catch {
                throw CLIFailure(message: error.message, exitCode: ExitCodes.invalidInput)
            }
            let window: SpendWindow
            do { window = try SpendWindow(from: from, to: to, fromName: "--from", toName: "--to") } catch {
                throw CLIFailure(message: error.message, exitCode: ExitCodes.invalidInput)
            }
            var query = "by=\(ServerConnection.encoded(by))"
            if let from { query += "&from=\(ServerConnection.encoded(from))" }
            if let to { query += "&to=\(ServerConnection.encoded(to))" }
            let rows = try await ServerConnection.list(
                global, connection, path: "/v1/spend?\(query)", key: "rows", what: "spend"
            ) { try $0.spend(by: grouping, from: window.start, to: window.end) }
            if json {
                Terminal.standardOutput.write(BudgetReport.json(rows) + "\n")
            } else if csv {
                Terminal.standardOutput.write(SpendRow.csv(rows))
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
}
