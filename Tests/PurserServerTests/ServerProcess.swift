import Foundation
import Purser
import PurserClient
import PurserConfig
import PurserTestKit

#if canImport(Glibc)
    import Glibc
#endif

/// A real `purser serve` in a process of its own, on a socket in a temporary data directory,
/// with one token per role: what integration tests drive over the socket. It can be stopped
/// gracefully (SIGTERM), killed (SIGKILL), and started again on the same data directory.
final class ServerProcess: @unchecked Sendable {
    /// The secrets of the tokens configured before the server starts, by role.
    struct Tokens: Sendable {
        var service: String
        var finance: String
        var admin: String
    }

    let home: TemporaryDirectory
    let tokens: Tokens
    let arguments: [String]
    private var process: Process?
    private(set) var stderr: URL

    var socketPath: String { home.url.appendingPathComponent("purser.sock").path }
    var ledgerPath: String { home.url.appendingPathComponent("purser.db").path }

    /// The `purser` binary beside the test bundle in the build products folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("purser")
    }

    /// Writes the tokens into `purser.yaml` (plus `config`, more YAML) and starts the server
    /// with `arguments` (`--speed instant` unless they say otherwise).
    init(arguments: [String] = ["--speed", "instant"], config: String = "") async throws {
        home = try TemporaryDirectory(prefix: "purser-server")
        tokens = Tokens(service: APITokens.generate(), finance: APITokens.generate(), admin: APITokens.generate())
        let now = Date()
        let yaml = config + AuthSectionWriter.section([
            APIToken(name: "billing-service", role: .service, hash: APITokens.hash(tokens.service), created: now),
            APIToken(name: "finance-team", role: .finance, hash: APITokens.hash(tokens.finance), created: now),
            APIToken(name: "ops", role: .admin, hash: APITokens.hash(tokens.admin), created: now),
        ])
        try yaml.write(to: home.url.appendingPathComponent("purser.yaml"), atomically: true, encoding: .utf8)
        self.arguments = arguments
        stderr = home.url.appendingPathComponent("server-0.log")
        try await start()
    }

    /// Starts the server (again) and waits until its socket accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve"] + arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["PURSER_HOME": home.path]) { $1 }
        var index = 0
        while FileManager.default.fileExists(atPath: home.url.appendingPathComponent("server-\(index).log").path) { index += 1 }
        stderr = home.url.appendingPathComponent("server-\(index).log")
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: stderr)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if UnixSocketProbe.accepts(socketPath) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        throw Failure(description: "the server did not start: \(log)")
    }

    var log: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }

    var isRunning: Bool { process?.isRunning ?? false }

    /// A client with the given secret (or none).
    func client(_ token: String?) -> PurserClient {
        PurserClient(socketPath: socketPath, token: token)
    }

    /// SIGTERM, then waits for the process to exit; returns its exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        guard let process else { return 0 }
        kill(process.processIdentifier, SIGTERM)
        return try await waitForExit(process)
    }

    /// SIGKILL, then waits for the process to be gone.
    func kill9() async throws {
        guard let process else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = try await waitForExit(process)
    }

    private func waitForExit(_ process: Process) async throws -> Int32 {
        let box = ProcessBox(process: process)
        let status = try await offThePool {
            box.process.waitUntilExit()
            return box.process.terminationStatus
        }
        self.process = nil
        return status
    }

    deinit {
        if let process, process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }
}

/// A process handed to the one thread that waits for it.
private struct ProcessBox: @unchecked Sendable {
    let process: Process
}
