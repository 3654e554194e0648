import Foundation

/// How `purser serve` listens and how much it takes on: `purser.yaml`'s `server:` section.
///
/// Every field has a default, so a deployment writes only what it changes. The loader checks
/// each value's range (``maxBodyBytesRange`` and the like); the server trusts what it is given.
public struct ServerConfiguration: Sendable, Hashable {
    /// The Unix socket's path; `nil` is `purser.sock` in the data directory, and a relative
    /// path is relative to the data directory (``socketPath(dataDirectory:)``).
    public var socket: String?
    /// A group (name or numeric id) to give the socket to, with mode 0660, so the group's
    /// members may connect; `nil` keeps it the owner's alone (mode 0600).
    public var socketGroup: String?
    /// Also listen on TCP, loopback only, for clients that cannot use a Unix socket;
    /// `127.0.0.1:PORT`, `[::1]:PORT` or `localhost:PORT`. Parsed: ``listenAddress``.
    public var listen: String?
    /// The largest request body read; larger requests get 413.
    public var maxBodyBytes: Int
    /// Runs executing at once; more wait in the queue.
    public var maxActiveRuns: Int
    /// Runs waiting for a slot; beyond that new runs are refused (429 with Retry-After) rather than piling up.
    public var maxQueuedRuns: Int
    /// A connection that sends nothing for this long (a slow or stuck client) is closed.
    public var idleTimeoutSeconds: Int
    /// On SIGTERM or SIGINT, how long running runs get to finish before they are cancelled.
    public var shutdownGraceSeconds: Int

    public init(
        socket: String? = nil, socketGroup: String? = nil, listen: String? = nil, maxBodyBytes: Int = 1_048_576,
        maxActiveRuns: Int = 256, maxQueuedRuns: Int = 4096, idleTimeoutSeconds: Int = 30, shutdownGraceSeconds: Int = 10
    ) {
        self.socket = socket
        self.socketGroup = socketGroup
        self.listen = listen
        self.maxBodyBytes = maxBodyBytes
        self.maxActiveRuns = maxActiveRuns
        self.maxQueuedRuns = maxQueuedRuns
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.shutdownGraceSeconds = shutdownGraceSeconds
    }

    /// Every default.
    public static let `default` = ServerConfiguration()

    /// The socket's name in the data directory when ``socket`` is not set.
    public static let defaultSocketName = "purser.sock"

    /// The socket's path: ``socket`` (relative to `dataDirectory` unless absolute), else
    /// `purser.sock` in `dataDirectory`.
    public func socketPath(dataDirectory: String) -> String {
        let path = socket ?? Self.defaultSocketName
        guard !path.hasPrefix("/") else { return path }
        return URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent(path).path
    }

    /// ``listen`` parsed; `nil` when it is not set (or, for a value the loader did not check,
    /// not a loopback address).
    public var listenAddress: LoopbackAddress? {
        listen.flatMap { try? LoopbackAddress(parsing: $0) }
    }

    public var idleTimeout: Duration { .seconds(idleTimeoutSeconds) }
    public var shutdownGrace: Duration { .seconds(shutdownGraceSeconds) }

    // MARK: Ranges

    // The values each limit may take: at least enough to work, at most what one process can
    // sensibly hold (a bigger number is a typo, not a plan). The loader reports anything else.
    public static let maxBodyBytesRange = 1_024...1_073_741_824
    public static let maxActiveRunsRange = 1...100_000
    public static let maxQueuedRunsRange = 1...10_000_000
    public static let idleTimeoutSecondsRange = 1...3_600
    public static let shutdownGraceSecondsRange = 1...3_600
}
