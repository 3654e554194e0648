import ArgumentParser
import Foundation
import Purser
import PurserServer
import PurserSQLite

/// `purser runs`: the runs in the data directory (the server's and the CLI's), newest first.
struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, newest first, or show one with its steps.",
        subcommands: [RunsListCommand.self, RunsShowCommand.self],
        defaultSubcommand: RunsListCommand.self
    )
}

/// `purser runs list [--status S] [--workflow W] [--limit N] [--json]`
struct RunsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Runs, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Option(help: "queued, running, succeeded, failed or cancelled.")
    var status: String?

    @Option(help: "Only runs of this workflow.")
    var workflow: String?

    @Option(help: "At most this many (1 to 1000).")
    var limit: Int = 20

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func run() async throws {
        do throws(CLIFailure) {
            var parsedStatus: RunStatus?
            if let status {
                guard let value = RunStatus(rawValue: status) else {
                    throw CLIFailure(
                        message: "--status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))",
                        exitCode: ExitCodes.usage)
                }
                parsedStatus = value
            }
            guard (1...1000).contains(limit) else {
                throw CLIFailure(message: "--limit must be between 1 and 1000", exitCode: ExitCodes.usage)
            }
            let runs: [RunSummary]
            if let server = try ServerConnection.detect(global, connection) {
                var query = "limit=\(limit)"
                if let status { query += "&status=\(ServerConnection.encoded(status))" }
                if let workflow { query += "&workflow=\(ServerConnection.encoded(workflow))" }
                runs = try await server.fetch("/v1/runs?\(query)", as: RunListAnswer.self).runs
            } else {
                let ledger = try LedgerFile.open(global.dataDirectory)
                do {
                    runs = try await ledger.runs(status: parsedStatus, workflow: workflow, limit: limit).runs
                } catch {
                    throw CLIFailure(message: "cannot read the runs: \(error)", exitCode: ExitCodes.internal)
                }
            }
            Terminal.standardOutput.write(json ? BudgetReport.json(runs) + "\n" : Self.table(runs))
        } catch {
            Self.exit(with: error)
        }
    }

    static func table(_ runs: [RunSummary]) -> String {
        guard !runs.isEmpty else { return "no runs\n" }
        var table = TextTable([
            .init(title: "id", alignment: .left), .init(title: "workflow", alignment: .left),
            .init(title: "status", alignment: .left), .init(title: "started (UTC)", alignment: .left),
            .init(title: "calls", alignment: .right), .init(title: "cost", alignment: .right),
        ])
        for run in runs {
            table.add([
                run.id.rawValue, run.workflow, run.status.rawValue, BudgetReport.timestamp(run.startedAt),
                String(run.totals.modelCalls + run.totals.toolCalls), run.totals.cost.description,
            ])
        }
        return table.render()
    }
}

/// `purser runs show ID`: one run as the API shows it, as JSON.
struct RunsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "One run with its steps, spend and estimate, as JSON.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var connection: ConnectionOptions

    @Argument(help: "The run's id.")
    var id: String

    func run() async throws {
        do throws(CLIFailure) {
            if let server = try ServerConnection.detect(global, connection) {
                let answer = try await server.send(.GET, "/v1/runs/\(ServerConnection.encoded(id))")
                await server.close()
                Terminal.standardOutput.write(((try? answer.json())?.prettyJSON ?? answer.text) + "\n")
                return
            }
            let ledger = try LedgerFile.open(global.dataDirectory)
            let document: Data?
            do { document = try await RunView.storedDocument(RunID(id), in: ledger) } catch {
                throw CLIFailure(message: "cannot read run \(id): \(error)", exitCode: ExitCodes.internal)
            }
            guard let document else { throw CLIFailure(message: "no run \(id)", exitCode: ExitCodes.notFound) }
            let text = String(decoding: document, as: UTF8.self)
            Terminal.standardOutput.write(((try? JSONValue(parsing: text))?.prettyJSON ?? text) + "\n")
        } catch {
            Self.exit(with: error)
        }
    }
}

/// What `GET /v1/runs` answers.
struct RunListAnswer: Decodable {
    var runs: [RunSummary]
    var nextCursor: String?
}
