import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Purser

/// A client of Purser's socket API over its Unix socket (or a loopback TCP address), on
/// async-http-client: the CLI, the tests and the benchmark use it. Connections are pooled and
/// kept alive; call ``shutdown()`` when done.
///
/// ```swift
/// let client = PurserClient(socketPath: home + "/purser.sock", token: token)
/// let run = try await client.send(.POST, "/v1/runs?wait=true", json: ["workflow": "support-triage"])
/// print(run.status, try run.json())
/// try await client.shutdown()
/// ```
public final class PurserClient: Sendable {
    public enum Endpoint: Sendable, Hashable {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    /// The request method (NIO's), so callers need not import NIO to name one.
    public typealias Method = HTTPMethod

    public let endpoint: Endpoint
    public let token: String?
    private let http: HTTPClient
    /// Whether `http` is this client's own (to be shut down) or the process-wide shared one.
    private let ownsHTTPClient: Bool
    private let base: String

    /// - Parameter connections: connections kept to the server at most (one per request in
    ///   flight); `nil` uses async-http-client's shared client, which never needs shutting down
    ///   (for short-lived processes such as the CLI).
    public init(endpoint: Endpoint, token: String?, connections: Int? = 64, timeout: Duration = .seconds(600)) {
        self.endpoint = endpoint
        self.token = token
        if let connections {
            var configuration = HTTPClient.Configuration()
            configuration.connectionPool = .init(
                idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)
            configuration.timeout = .init(connect: .seconds(5), read: .init(timeout))
            configuration.decompression = .disabled
            http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            ownsHTTPClient = true
        } else {
            http = HTTPClient.shared
            ownsHTTPClient = false
        }
        switch endpoint {
        case .unixSocket(let path):
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? path
            base = "http+unix://\(encoded)"
        case .tcp(let host, let port):
            base = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        }
    }

    public convenience init(socketPath: String, token: String?, connections: Int? = 64) {
        self.init(endpoint: .unixSocket(path: socketPath), token: token, connections: connections)
    }

    /// Closes this client's connections; it must be called before an own client goes away.
    public func shutdown() async throws {
        guard ownsHTTPClient else { return }
        try await http.shutdown()
    }

    /// Sends a request; `body` is sent as is (JSON unless `contentType` says otherwise).
    public func send(
        _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil, contentType: String? = "application/json",
        headers extra: [(String, String)] = [], token: String?? = .none
    ) async throws -> ClientResponse {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        let bearer = token ?? self.token
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await http.execute(request, timeout: .seconds(600))
        let collected = try await response.body.collect(upTo: 256 * 1024 * 1024)
        return ClientResponse(
            status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
            body: Array(collected.readableBytesView))
    }

    /// Sends `json` as the body.
    public func send(
        _ method: HTTPMethod, _ path: String, json: JSONValue, token: String?? = .none
    ) async throws -> ClientResponse {
        try await send(method, path, body: Array(json.compactJSON.utf8), token: token)
    }

    /// A run's Server-Sent Events as they arrive, ending when the server ends the stream.
    public func events(_ path: String) async throws -> (status: Int, events: AsyncThrowingStream<ServerSentEvent, any Error>) {
        var request = HTTPClientRequest(url: base + path)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.headers.add(name: "Accept", value: "text/event-stream")
        let response = try await http.execute(request, timeout: .seconds(3600))
        let body = response.body
        let stream = AsyncThrowingStream<ServerSentEvent, any Error> { continuation in
            let task = Task {
                var parser = ServerSentEventParser()
                do {
                    for try await chunk in body {
                        for event in parser.feed(Array(chunk.readableBytesView)) { continuation.yield(event) }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (Int(response.status.code), stream)
    }
}

/// An answer: its status, headers and body.
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
    }

    /// The body as JSON.
    public func json() throws -> JSONValue {
        try JSONValue(parsing: text)
    }
}
