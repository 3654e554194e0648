import ArgumentParser
import Foundation

/// Options every command that keeps state shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("home"), help: "The data directory (default: $PURSER_HOME, else ~/.purser).")
    var home: String?

    var dataDirectory: DataDirectory {
        DataDirectory(path: home ?? ProcessInfo.processInfo.environment["PURSER_HOME"] ?? DataDirectory.defaultPath)
    }
}

/// Where Purser keeps its state between invocations: `purser.yaml`, the SQLite ledger
/// (`purser.db`), learned history, the server's socket and its admin token.
struct DataDirectory {
    static var defaultPath: String {
        FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".purser").path
    }

    let path: String

    var url: URL { URL(fileURLWithPath: path, isDirectory: true) }

    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Creates the directory (owner-only) if it does not exist.
    func ensureExists() throws(CLIFailure) {
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIFailure(
                message: "cannot create the data directory \(path): \(error.localizedDescription)",
                exitCode: ExitCodes.internal)
        }
    }
}
