import Foundation

/// How `purser serve` listens and how much it takes on.
public struct ServerOptions: Sendable, Hashable {
    /// The Unix socket's path.
    public var socketPath: String
    /// A group to give the socket to (mode 0660); `nil` keeps it the owner's alone (0600).
    public var socketGroup: String?
    /// Also listen on TCP, loopback only, for clients that cannot use a Unix socket.
    public var tcp: TCPAddress?
    /// The largest request body read, in bytes.
    public var bodyLimit: Int
    /// A connection idle this long (a client that stopped sending, or never finished its
    /// request) is closed.
    public var idleTimeout: Duration
    /// How long running runs get to finish when the server is asked to stop.
    public var shutdownGrace: Duration
    public var limits: RunManager.Limits

    public init(
        socketPath: String, socketGroup: String? = nil, tcp: TCPAddress? = nil, bodyLimit: Int = 1_048_576,
        idleTimeout: Duration = .seconds(30), shutdownGrace: Duration = .seconds(10),
        limits: RunManager.Limits = RunManager.Limits()
    ) {
        self.socketPath = socketPath
        self.socketGroup = socketGroup
        self.tcp = tcp
        self.bodyLimit = bodyLimit
        self.idleTimeout = idleTimeout
        self.shutdownGrace = shutdownGrace
        self.limits = limits
    }
}

/// A loopback TCP address, `127.0.0.1:8088`.
public struct TCPAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
