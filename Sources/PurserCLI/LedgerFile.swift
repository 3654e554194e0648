import Foundation
import Purser
import PurserSQLite

/// `purser.db` in the data directory: the durable ledger, budgets, audit log, alerts and runs.
enum LedgerFile {
    /// Opens (creating) the ledger, reconciling reservations that dead processes left open.
    static func open(_ directory: DataDirectory) throws(CLIFailure) -> SQLiteLedger {
        try directory.ensureExists()
        do {
            let ledger = try SQLiteLedger(dataDirectory: directory.path)
            let reconciled = ledger.openingReconciliation.reconciled
            if !reconciled.isEmpty {
                Terminal.standardError.write(
                    "note: settled \(reconciled.count) reservation\(reconciled.count == 1 ? "" : "s") left open by "
                        + "stopped processes at their reserved amounts (\(ReconcileReport.flag))\n")
            }
            return ledger
        } catch {
            throw CLIFailure(
                message: "cannot open the ledger \(directory.file(SQLiteLedger.fileName).path): \(error)",
                exitCode: ExitCodes.internal)
        }
    }

    /// Opens the ledger and reads `what` from it; a failure to read is an internal error naming it.
    static func read<Value>(
        _ directory: DataDirectory, _ what: String, _ body: (SQLiteLedger) throws -> Value
    ) throws(CLIFailure) -> Value {
        let ledger = try open(directory)
        do {
            return try body(ledger)
        } catch {
            throw CLIFailure(message: "cannot read \(what): \(error)", exitCode: ExitCodes.internal)
        }
    }

    /// Who is changing budgets, for the audit log: `--actor`, else the login name.
    static func actor(_ explicit: String?) -> String {
        explicit ?? ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "cli"
    }
}

extension ServerConnection {
    /// The rows a read-only command shows: from the server running on the data directory when
    /// there is one (it may hold writes this process cannot see yet), else from the ledger file.
    /// `key` names the list in the server's answer; `what` names it in errors.
    static func list<Item: Decodable>(
        _ global: GlobalOptions, _ connection: ConnectionOptions, path: String, key: String, what: String,
        fromLedger read: (SQLiteLedger) throws -> [Item]
    ) async throws(CLIFailure) -> [Item] {
        if let server = try detect(global, connection) {
            return try await server.fetch(path, as: [String: [Item]].self)[key] ?? []
        }
        return try LedgerFile.read(global.dataDirectory, what, read)
    }
}
