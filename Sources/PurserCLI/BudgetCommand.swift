import ArgumentParser
import Foundation
import Purser
import PurserSQLite

/// `purser budget`: the caps finance sets, what they have left, and who changed them.
struct BudgetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "budget",
        abstract: "Set, list and audit budgets (caps on spend per scope and period).",
        discussion: """
            Scopes: global, workflow:NAME, tag:KEY=VALUE, run (a cap each run gets). Periods: run, day, \
            month (UTC calendar). Amounts are decimal strings in the deployment's currency. Budgets live \
            in purser.db in the data directory and hold across every purser process using it.
            """,
        subcommands: [
            BudgetSetCommand.self, BudgetListCommand.self, BudgetHistoryCommand.self, BudgetRemoveCommand.self,
            BudgetAlertsCommand.self,
        ],
        defaultSubcommand: BudgetListCommand.self
    )
}

/// `purser budget set SCOPE --period P --limit AMOUNT ...`
struct BudgetSetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set (or replace) the budget of a scope and period.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "global, workflow:NAME, tag:KEY=VALUE or run.")
    var scope: String

    @Option(help: "run, day or month (UTC calendar).")
    var period: String = "month"

    @Option(help: "Hard money limit, a decimal amount such as 500.00.")
    var limit: String?

    @Option(help: "Hard token limit (input plus output).")
    var tokens: Int?

    @Option(help: "Soft threshold that raises an alert, such as 80%.")
    var soft: String?

    @Option(help: "reject (refuse runs whose estimate does not fit), stop, degrade (cheaper tiers) or pause.")
    var policy: String = "stop"

    @Option(help: "What `reject` compares with what is left: p95 or worst.")
    var admission: String = "p95"

    @Option(help: "Why, for the audit log.")
    var reason: String?

    @Option(help: "Who, for the audit log (default: the login name).")
    var actor: String?

    @Flag(help: "Print the change as one JSON document.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let budget = try parsedBudget()
            if let server = try ServerConnection.detect(global, connection) {
                var body: [String: JSONValue] = [
                    "period": .string(budget.period.rawValue), "policy": .string(budget.policy.rawValue),
                    "admission": .string(budget.admission.rawValue),
                ]
                if let limit = budget.limit { body["limit"] = .string(limit.description) }
                if let tokens = budget.tokenLimit { body["tokenLimit"] = .number(Double(tokens)) }
                if let soft = budget.softThresholdPercent { body["softThresholdPercent"] = .number(Double(soft)) }
                if let reason { body["reason"] = .string(reason) }
                if actor != nil {
                    Terminal.standardError.write("note: the server records its token's name as the actor, not --actor\n")
                }
                let answer = try await server.send(
                    .PUT, "/v1/budgets/\(ServerConnection.encoded(budget.scope.description))", json: .object(body),
                    as: BudgetSetAnswer.self)
                await server.close()
                report(answer.change)
                return
            }
            let ledger = try LedgerFile.open(global.dataDirectory)
            let change: BudgetChange
            do {
                change = try ledger.setBudget(budget, actor: LedgerFile.actor(actor), reason: reason)
            } catch {
                throw CLIFailure(message: "cannot set the budget: \(error)", exitCode: ExitCodes.internal)
            }
            report(change)
        } catch {
            Self.exit(with: error)
        }
    }

    private func report(_ change: BudgetChange) {
        if json {
            Terminal.standardOutput.write(BudgetReport.json(change) + "\n")
        } else {
            Terminal.standardOutput.write(BudgetReport.describe(change) + "\n")
        }
    }

    /// The budget the flags describe; every mistake is an input error and nothing is written.
    func parsedBudget() throws(CLIFailure) -> Budget {
        do {
            let money: Money?
            do { money = try limit.map { try Money(parsing: $0) } } catch {
                throw BudgetInputError("--limit must be a decimal amount such as 500.00: \(error)")
            }
            return try Budget(
                scope: try BudgetScope(parsing: scope), period: try BudgetPeriod(parsing: period), limit: money,
                tokenLimit: tokens, softThresholdPercent: try Self.percent(soft), policy: try BudgetPolicy(parsing: policy),
                admission: try AdmissionBasis(parsing: admission))
        } catch let error as BudgetInputError {
            throw CLIFailure(message: error.message, exitCode: ExitCodes.invalidInput)
        } catch {
            throw CLIFailure(message: "\(error)", exitCode: ExitCodes.invalidInput)
        }
    }

    /// `80%` or `80` as a whole percentage.
    static func percent(_ text: String?) throws(BudgetInputError) -> Int? {
        guard let text else { return nil }
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Int(digits) else {
            throw BudgetInputError("--soft must be a whole percentage such as 80%, got '\(text)'")
        }
        return value
    }
}

/// `purser budget list`
struct BudgetListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Every budget with its limit, spent, reserved and left for the current period.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let statuses = try await ServerConnection.list(
                global, connection, path: "/v1/budgets", key: "budgets", what: "the budgets"
            ) { try $0.budgetStatuses() }
            Terminal.standardOutput.write(json ? BudgetReport.json(statuses) + "\n" : BudgetReport.table(statuses))
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser budget history`
struct BudgetHistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "The audit log: every budget change, who made it, when, from what to what, and why.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let changes = try await ServerConnection.list(
                global, connection, path: "/v1/budgets/history", key: "changes", what: "the budget history"
            ) { try $0.history() }
            Terminal.standardOutput.write(json ? BudgetReport.json(changes) + "\n" : BudgetReport.history(changes))
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser budget remove SCOPE --period P`
struct BudgetRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Remove a budget (audited).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "global, workflow:NAME, tag:KEY=VALUE or run.")
    var scope: String

    @Option(help: "run, day or month.")
    var period: String = "month"

    @Option(help: "Why, for the audit log.")
    var reason: String?

    @Option(help: "Who, for the audit log (default: the login name).")
    var actor: String?

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let parsedScope: BudgetScope
            let parsedPeriod: BudgetPeriod
            do {
                parsedScope = try BudgetScope(parsing: scope)
                parsedPeriod = try BudgetPeriod(parsing: period)
            } catch {
                throw CLIFailure(message: error.message, exitCode: ExitCodes.invalidInput)
            }
            if let server = try ServerConnection.detect(global, connection) {
                var path = "/v1/budgets/\(ServerConnection.encoded(parsedScope.description))?period=\(parsedPeriod.rawValue)"
                if let reason { path += "&reason=\(ServerConnection.encoded(reason))" }
                _ = try await server.send(.DELETE, path)
                await server.close()
                Terminal.standardOutput.write("removed \(parsedScope)/\(parsedPeriod.rawValue)\n")
                return
            }
            let ledger = try LedgerFile.open(global.dataDirectory)
            guard (try? ledger.budget(scope: parsedScope, period: parsedPeriod)) ?? nil != nil else {
                throw CLIFailure(
                    message: "there is no budget \(parsedScope)/\(parsedPeriod.rawValue) (see `purser budget list`)",
                    exitCode: ExitCodes.notFound)
            }
            do {
                try ledger.removeBudget(
                    scope: parsedScope, period: parsedPeriod, actor: LedgerFile.actor(actor), reason: reason)
            } catch {
                throw CLIFailure(message: "cannot remove the budget: \(error)", exitCode: ExitCodes.internal)
            }
            Terminal.standardOutput.write("removed \(parsedScope)/\(parsedPeriod.rawValue)\n")
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser budget alerts`
struct BudgetAlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Soft thresholds crossed and hard caps hit, oldest first.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        do throws(CLIFailure) {
            let alerts = try await ServerConnection.list(
                global, connection, path: "/v1/alerts", key: "alerts", what: "the alerts"
            ) { try $0.alerts() }
            if json {
                Terminal.standardOutput.write(BudgetReport.json(alerts) + "\n")
            } else {
                for stored in alerts {
                    Terminal.standardOutput.write(
                        "\(BudgetReport.timestamp(stored.at))  \(stored.alert.kind.rawValue)  \(stored.alert.message)\n")
                }
            }
        } catch {
            Self.exit(with: error)
        }
    }
}

/// What `PUT /v1/budgets/{scope}` answers.
struct BudgetSetAnswer: Decodable {
    var change: BudgetChange
    var status: BudgetStatus?
}
