import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A model provider played by a script: an HTTP/1.1 server on 127.0.0.1 that answers each
/// request with the next scripted reply, byte for byte and at the pace the script sets, so
/// tests can send every failure a real provider sends (status codes, a slow first byte, a slow
/// or dropped stream, bad JSON, missing usage). One connection per request (`Connection: close`).
final class ScriptedHTTPServer: Sendable {
    /// One piece of a reply: bytes written after a pause.
    struct Piece: Sendable {
        var pause: Duration = .zero
        var bytes: [UInt8]
    }

    /// What to answer one request with.
    struct Reply: Sendable {
        var pieces: [Piece]

        /// A whole answer with a `Content-Length`, after `pause`.
        static func status(
            _ status: Int, json: String, headers: [(String, String)] = [], pause: Duration = .zero
        ) -> Reply {
            let body = Array(json.utf8)
            var head = "HTTP/1.1 \(status) \(reason(status))\r\nContent-Type: application/json\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            return Reply(pieces: [Piece(pause: pause, bytes: Array(head.utf8) + body)])
        }

        /// A `text/event-stream` in chunked encoding, one chunk per event, `gap` apart; with
        /// `dropAfter`, the connection closes after that many events, mid-stream.
        static func stream(_ events: [String], firstByte: Duration = .zero, gap: Duration = .zero, dropAfter: Int? = nil)
            -> Reply
        {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
            var pieces = [Piece(pause: firstByte, bytes: Array(head.utf8))]
            for (index, event) in events.enumerated() {
                if let dropAfter, index >= dropAfter { return Reply(pieces: pieces) }
                let bytes = Array((event + "\n\n").utf8)
                pieces.append(Piece(pause: index == 0 ? .zero : gap, bytes: chunk(bytes)))
            }
            pieces.append(Piece(bytes: Array("0\r\n\r\n".utf8)))
            return Reply(pieces: pieces)
        }

        private static func chunk(_ bytes: [UInt8]) -> [UInt8] {
            Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10]
        }

        private static func reason(_ status: Int) -> String {
            switch status {
            case 200: "OK"
            case 400: "Bad Request"
            case 401: "Unauthorized"
            case 429: "Too Many Requests"
            case 500: "Internal Server Error"
            case 503: "Service Unavailable"
            case 529: "Overloaded"
            default: "Status"
            }
        }
    }

    /// A request as it arrived.
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: String
    }

    let port: UInt16
    private let listener: Int32
    private let book: Book
    private let stopped = Mutex(false)

    /// The script and what arrived: shared with the threads that serve, which must not keep
    /// the server itself alive (its deinit is what stops them).
    private final class Book: Sendable {
        let state: Mutex<(script: [Reply], requests: [Request])>
        init(_ script: [Reply]) { state = Mutex((script, [])) }
    }

    /// Starts listening; `script` answers requests in order, and once it runs out every further
    /// request gets a 500 saying so.
    init(script: [Reply]) throws {
        book = Book(script)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(descriptor, 64) == 0 else {
            close(descriptor)
            throw Failure("bind/listen failed: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        listener = descriptor
        port = UInt16(bigEndian: address.sin_port)
        let book = book
        // The accept thread owns the listening descriptor and is the one that closes it. Were
        // stop() to close it, the number could be reused by the next test's server before this
        // thread's next accept(), which would then take that server's requests.
        Thread {
            while true {
                let connection = accept(descriptor, nil, nil)
                guard connection >= 0 else {
                    if errno == EINTR { continue }
                    close(descriptor)  // shut down by stop()
                    return
                }
                Thread { Self.serve(connection, book: book) }.start()
            }
        }.start()
    }

    var endpoint: String { "http://127.0.0.1:\(port)" }

    /// The requests received so far, in order.
    var requests: [Request] { book.state.withLock { $0.requests } }

    /// Stops accepting: wakes the accept thread, which closes the descriptor itself (once).
    func stop() {
        guard stopped.withLock({ done in defer { done = true }; return !done }) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit { stop() }

    private static func serve(_ connection: Int32, book: Book) {
        defer { close(connection) }
        guard let request = read(connection) else { return }
        let reply = book.state.withLock { state -> Reply in
            state.requests.append(request)
            return state.script.isEmpty
                ? .status(500, json: #"{"error":{"message":"the test's script has no more replies"}}"#)
                : state.script.removeFirst()
        }
        for piece in reply.pieces {
            if piece.pause > .zero {
                Thread.sleep(forTimeInterval: Double(piece.pause.components.seconds) + Double(piece.pause.components.attoseconds) / 1e18)
            }
            var offset = 0
            while offset < piece.bytes.count {
                let written = piece.bytes.withUnsafeBytes { send(connection, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
                if written <= 0 { return }  // the client went away (a timeout, say)
                offset += written
            }
        }
    }

    /// Reads one request: head, then `Content-Length` bytes of body.
    private static func read(_ connection: Int32) -> Request? {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var headEnd: Int?
        var contentLength = 0
        while true {
            if let end = headEnd, bytes.count >= end + contentLength { break }
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            bytes += buffer[0..<count]
            if headEnd == nil, let range = findHeadEnd(bytes) {
                headEnd = range
                let head = String(decoding: bytes[0..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                    contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                }
            }
        }
        let end = headEnd!
        let head = String(decoding: bytes[0..<(end - 4)], as: UTF8.self).split(separator: "\r\n")
        let requestLine = head.first?.split(separator: " ") ?? []
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(
            method: requestLine.count > 0 ? String(requestLine[0]) : "", path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers, body: String(decoding: bytes[end..<(end + contentLength)], as: UTF8.self))
    }

    private static func findHeadEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4) where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index + 4
        }
        return nil
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
