import Foundation
import Hummingbird
import Logging
import Purser
import PurserConfig
import PurserSQLite
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `purser serve`: the socket API, run under service lifecycle.
///
/// On SIGTERM or SIGINT (or ``shutdown()``), the server first drains: it refuses new runs
/// (503), lets running ones finish within the grace period, and cancels the rest, which stay
/// unfinished in the ledger file and resume from their journal on the next start. Then the
/// HTTP listeners stop and the ledger's write-ahead log is checkpointed into the file.
public final class PurserServer: Sendable {
    public let options: ServerOptions
    public let manager: RunManager
    let api: PurserAPI
    let ledger: SQLiteLedger
    let logger: Logger
    private let group = Mutex<ServiceGroup?>(nil)
    private let shutdownRequested = Mutex(false)

    /// - Parameters:
    ///   - engine: routes and runs the calls; its ledger must be `caps`, whose base is `ledger`.
    ///   - reloadAuth: reads the tokens again (the config file may have changed); `nil` when
    ///     unchanged or unreadable.
    public init(
        options: ServerOptions, engine: Engine, ledger: SQLiteLedger, caps: RunCapLedger, workflows: [Workflow],
        auth: AuthConfiguration, reloadAuth: @escaping @Sendable () -> AuthConfiguration? = { nil },
        metrics: ServerMetrics = ServerMetrics(), logger: Logger = Logger(label: "purser.server")
    ) throws {
        self.options = options
        self.ledger = ledger
        self.logger = logger
        caps.observe { operation, took in metrics.ledgerOperation(operation, took: took) }
        manager = try RunManager(
            engine: engine, ledger: ledger, caps: caps, workflows: workflows, limits: options.limits, metrics: metrics,
            logger: logger)
        api = PurserAPI(
            manager: manager, engine: engine, ledger: ledger, metrics: metrics,
            tokens: TokenBook(auth, reload: reloadAuth), bodyLimit: options.bodyLimit,
            openAPIDocument: ByteBuffer(bytes: try OpenAPIDocument.bytes()))
    }

    /// Resumes unfinished runs, listens, and serves until asked to stop; returns once drained.
    /// `handleSignals` installs the SIGTERM/SIGINT handling (off for servers run inside tests).
    /// `onListening` is called once every listener accepts connections.
    public func run(handleSignals: Bool = true, onListening: @escaping @Sendable () -> Void = {}) async throws {
        try UnixSocketFile.prepare(options.socketPath)
        let resumed = try await manager.resumeUnfinished()
        if resumed > 0 { logger.info("resumed \(resumed) interrupted runs") }

        let responder = api.router().buildResponder()
        let idleTimeout = options.idleTimeout
        let listeners = Listeners(count: options.tcp == nil ? 1 : 2, onListening: onListening)
        let socketPath = options.socketPath
        let socketGroup = options.socketGroup
        let serverLogger = logger
        // Hummingbird gives every request's logger a request id; see DeferredMetadataLogHandler.
        let requestLogger = logger.deferringMetadata()
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        let unix = Application(
            responder: responder, server: .http1(configuration: .init(idleTimeout: .init(idleTimeout))),
            configuration: .init(address: .unixDomainSocket(path: socketPath), serverName: "purser"),
            onServerRunning: { _ in
                do { try UnixSocketFile.secure(socketPath, group: socketGroup) } catch {
                    serverLogger.critical("\(error)")
                }
                serverLogger.info("listening on \(socketPath)")
                listeners.ready()
            },
            logger: requestLogger)
        services.append(.init(service: unix, serviceName: "unix socket"))
        if let tcp = options.tcp {
            let application = Application(
                responder: responder, server: .http1(configuration: .init(idleTimeout: .init(idleTimeout))),
                configuration: .init(address: .hostname(tcp.host, port: tcp.port), serverName: "purser"),
                onServerRunning: { _ in
                    serverLogger.info("listening on \(tcp)")
                    listeners.ready()
                },
                logger: requestLogger)
            services.append(.init(service: application, serviceName: "tcp \(tcp)"))
        }
        // Shut down in reverse order: the drain goes first, while the listeners still answer
        // reads, health checks, and the waits of runs that are ending.
        services.append(
            .init(
                service: DrainService(manager: manager, ledger: ledger, grace: options.shutdownGrace, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "runs"))
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: handleSignals ? [.sigterm, .sigint] : [], logger: logger))
        let stopAtOnce = self.group.withLock { slot in
            slot = group
            return shutdownRequested.withLock { $0 }
        }
        if stopAtOnce { await group.triggerGracefulShutdown() }
        defer { unlink(socketPath) }
        try await group.run()
    }

    /// Asks the running server to drain and stop, as SIGTERM does.
    public func shutdown() async {
        let group = self.group.withLock { slot in
            shutdownRequested.withLock { $0 = true }
            return slot
        }
        await group?.triggerGracefulShutdown()
    }
}

/// Waits for graceful shutdown, then drains the runs and checkpoints the ledger file.
struct DrainService: Service {
    let manager: RunManager
    let ledger: SQLiteLedger
    let grace: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        await manager.drain(grace: grace)
        do { try ledger.checkpoint() } catch { logger.error("could not checkpoint the ledger file: \(error)") }
        logger.info("drained; the ledger file is up to date")
    }
}

/// Calls `onListening` once every listener is up.
final class Listeners: Sendable {
    private let remaining: Mutex<Int>
    private let onListening: @Sendable () -> Void

    init(count: Int, onListening: @escaping @Sendable () -> Void) {
        remaining = Mutex(count)
        self.onListening = onListening
    }

    func ready() {
        let done = remaining.withLock { count -> Bool in
            count -= 1
            return count == 0
        }
        if done { onListening() }
    }
}
