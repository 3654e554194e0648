import ArgumentParser
import Foundation
import Logging
import Purser
import PurserConfig
import PurserServer
import PurserSQLite
import Synchronization
import Workflows

/// `purser serve`: the socket API, for services that trigger runs and for finance.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API on a Unix socket (and optionally loopback TCP) until SIGTERM or SIGINT.",
        discussion: """
            Settings come from the server: section of purser.yaml; flags override them. With no API \
            tokens configured, the first start creates an admin token, stores its hash in purser.yaml \
            and its secret in admin.token (mode 0600) in the data directory, where the CLI finds it. \
            On SIGTERM or SIGINT the server refuses new runs, gives running ones the grace period to \
            finish, and leaves the rest to resume from their journal on the next start.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The Unix socket (default: server.socket in purser.yaml, else purser.sock in the data directory).")
    var socket: String?

    @Option(help: "Also listen on loopback TCP, HOST:PORT such as 127.0.0.1:8088.")
    var listen: String?

    @Option(help: "Simulator speed: realtime, instant, or a factor such as 10.")
    var speed: String = "realtime"

    @Flag(help: "Serve every catalog tier with the simulator, at its own prices and latencies (no real calls).")
    var simulate = false

    @Option(help: "Runs executing at once (default: server.max_active_runs, 256).")
    var maxActiveRuns: Int?

    @Option(help: "Runs waiting beyond those; more are refused with 429 (default: server.max_queued_runs, 4096).")
    var maxQueuedRuns: Int?

    @Option(help: "Seconds running runs get to finish on shutdown (default: server.shutdown_grace_seconds, 10).")
    var grace: Int?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Seconds between saves of what runs taught the estimator; it is also saved on shutdown.")
    var historyInterval: Double = 30

    func validate() throws {
        _ = try RunCommand.parseSpeed(speed)
        if let listen { do { _ = try LoopbackAddress(parsing: listen) } catch { throw ValidationError("--listen: \(error.message)") } }
        if let maxActiveRuns, maxActiveRuns < 1 { throw ValidationError("--max-active-runs must be at least 1") }
        if let maxQueuedRuns, maxQueuedRuns < 1 { throw ValidationError("--max-queued-runs must be at least 1") }
        if let grace, grace < 1 { throw ValidationError("--grace must be at least 1 second") }
        guard historyInterval > 0, historyInterval <= 86_400 else {
            throw ValidationError("--history-interval must be more than 0 and at most 86400 seconds")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be trace, debug, info, notice, warning, error or critical")
        }
    }

    func run() async throws {
        do {
            try await serve()
        } catch let failure as CLIFailure {
            Self.exit(with: failure)
        }
    }

    private func serve() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "purser")
        let directory = global.dataDirectory
        try directory.ensureExists()
        // Every file the server creates from here on (socket, ledger, tokens) is readable and
        // writable by the owner alone from the moment it exists, so a client never sees the
        // socket before it is secured; a socket_group widens the socket afterwards. (0o177, not
        // 0o077: a socket's mode comes from the umask alone, and the server creates no folders.)
        umask(0o177)
        let file = ConfigurationFile(directory: directory)
        var configuration = try file.load()
        if configuration.auth.tokens.isEmpty {
            try file.withExclusiveLock { () throws(CLIFailure) in
                // Another command may have created a token meanwhile.
                guard try file.load().auth.tokens.isEmpty else { return }
                try AdminToken.create(in: directory, configuration: file)
            }
            logger.notice("no API tokens were configured: created an admin token; its secret is in \(directory.file(APITokens.adminTokenFileName).path)")
            configuration = try file.load()
        }
        let settings = configuration.server
        var tcp: TCPAddress?
        if let text = listen ?? settings.listen {
            do {
                let address = try LoopbackAddress(parsing: text)
                tcp = TCPAddress(host: address.host, port: address.port)
            } catch {
                throw CLIFailure(message: "listen: \(error.message)", exitCode: ExitCodes.configuration)
            }
        }
        let options = ServerOptions(
            socketPath: socket ?? settings.socketPath(dataDirectory: directory.path), socketGroup: settings.socketGroup,
            tcp: tcp, bodyLimit: settings.maxBodyBytes, idleTimeout: settings.idleTimeout,
            shutdownGrace: grace.map { .seconds($0) } ?? settings.shutdownGrace,
            limits: .init(
                maxActive: maxActiveRuns ?? settings.maxActiveRuns, maxQueued: maxQueuedRuns ?? settings.maxQueuedRuns))

        let ledger = try LedgerFile.open(directory)
        let caps = RunCapLedger(base: ledger)
        let history = HistoryStore(directory: directory)
        let engine = try EngineFactory.makeEngine(
            speed: try RunCommand.parseSpeed(speed), history: try history.load(), dataDirectory: directory,
            simulate: simulate, ledger: ledger, reservingThrough: caps)
        let configURL = file.url
        let server: PurserServer
        do {
            server = try PurserServer(
                options: options, engine: engine, ledger: ledger, caps: caps, workflows: WorkflowCatalog.all,
                auth: configuration.auth, reloadAuth: ConfigWatcher(url: configURL).reloadAuth, logger: logger)
        } catch {
            throw CLIFailure(message: "cannot start the server: \(error)", exitCode: ExitCodes.internal)
        }
        // Saved now and then, not only on shutdown: a server that is killed loses at most one
        // interval of lessons.
        let saver = HistorySaver(store: history, history: engine.history, logger: logger)
        let checkpoints = Task { await saver.run(every: .milliseconds(Int64(historyInterval * 1000))) }
        defer { checkpoints.cancel() }
        do {
            try await server.run()
        } catch {
            throw CLIFailure(message: "the server stopped: \(error)", exitCode: ExitCodes.internal)
        }
        // Wait for a save in progress to end first: one that took its snapshot before the
        // last runs finished must not land after the final save and overwrite it.
        checkpoints.cancel()
        await checkpoints.value
        try history.replace(with: await engine.history.snapshot)
    }
}

/// Reads the config file's tokens again when the file has changed since it last looked.
final class ConfigWatcher: Sendable {
    let url: URL
    private let lastModified = Mutex<Date?>(nil)

    init(url: URL) {
        self.url = url
        lastModified.withLock { $0 = Self.modified(url) }
    }

    func reloadAuth() -> AuthConfiguration? {
        let now = Self.modified(url)
        let changed = lastModified.withLock { last -> Bool in
            defer { last = now }
            return last != now
        }
        guard changed else { return nil }
        return try? ConfigurationLoader.load(file: url).auth
    }

    private static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }
}
