#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ConfigurationSection {
    /// `server:`, how `purser serve` listens and its limits; every key optional.
    static let server = ConfigurationSection(key: "server") { node, path, reader, configuration in
        let keys = [
            "socket", "socket_group", "listen", "max_body_bytes", "max_active_runs", "max_queued_runs",
            "idle_timeout_seconds", "shutdown_grace_seconds",
        ]
        guard let map = reader.mapping(node, at: path, keys: keys) else { return }
        var server = ServerConfiguration()
        server.socket = reader.field("socket", in: map, required: false) {
            ServerSection.socketPath($1, at: $2, reader: &$0)
        }
        server.socketGroup = reader.field("socket_group", in: map, required: false) {
            ServerSection.group($1, at: $2, reader: &$0)
        }
        server.listen = reader.field("listen", in: map, required: false) {
            ServerSection.listen($1, at: $2, reader: &$0)
        }
        func limit(_ key: String, _ range: ClosedRange<Int>, example: String, _ reader: inout YAMLReader) -> Int? {
            reader.field(key, in: map, required: false) {
                ServerSection.limit($1, at: $2, in: range, example: example, reader: &$0)
            }
        }
        typealias Server = ServerConfiguration
        if let value = limit("max_body_bytes", Server.maxBodyBytesRange, example: "1048576", &reader) {
            server.maxBodyBytes = value
        }
        if let value = limit("max_active_runs", Server.maxActiveRunsRange, example: "256", &reader) {
            server.maxActiveRuns = value
        }
        if let value = limit("max_queued_runs", Server.maxQueuedRunsRange, example: "4096", &reader) {
            server.maxQueuedRuns = value
        }
        if let value = limit("idle_timeout_seconds", Server.idleTimeoutSecondsRange, example: "30", &reader) {
            server.idleTimeoutSeconds = value
        }
        if let value = limit("shutdown_grace_seconds", Server.shutdownGraceSecondsRange, example: "10", &reader) {
            server.shutdownGraceSeconds = value
        }
        configuration.server = server
    }
}

/// Checks of the `server:` values that YAMLReader's types alone do not catch.
enum ServerSection {
    /// The longest Unix socket path the system takes (`sockaddr_un.sun_path`, less its NUL).
    static let maximumSocketPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    static func socketPath(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        if text.isEmpty || text.hasSuffix("/") || text.utf8.contains(0) {
            reader.report(
                "expected the socket file's path, such as /run/purser/purser.sock, got '\(text)'", at: path, node: node)
            return nil
        }
        // A relative path's length depends on the data directory; the server checks that one.
        if text.hasPrefix("/"), text.utf8.count > maximumSocketPathBytes {
            reader.report(
                "the path is \(text.utf8.count) bytes; a Unix socket path can have at most \(maximumSocketPathBytes)",
                at: path, node: node)
            return nil
        }
        return text
    }

    /// A POSIX group name (letters, digits, `.`, `_`, `-`, not starting with `-`) or a numeric id.
    static func group(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        let valid =
            !text.isEmpty && text.utf8.count <= 32 && !text.hasPrefix("-")
            && text.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
                default: false
                }
            }
        guard valid else {
            reader.report(
                "expected a group name such as purser (or a numeric group id), got '\(text)'", at: path, node: node)
            return nil
        }
        return text
    }

    static func listen(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> String? {
        guard let text = reader.string(node, at: path) else { return nil }
        do {
            _ = try LoopbackAddress(parsing: text)
            return text
        } catch {
            reader.report(error.message, at: path, node: node)
            return nil
        }
    }

    /// A whole number within `range`.
    static func limit(
        _ node: YAMLNode, at path: ConfigKeyPath, in range: ClosedRange<Int>, example: String, reader: inout YAMLReader
    ) -> Int? {
        guard let value = reader.integer(node, at: path, example: example) else { return nil }
        guard range.contains(value) else {
            reader.report("must be from \(range.lowerBound) to \(range.upperBound), got \(value)", at: path, node: node)
            return nil
        }
        return value
    }
}
