import Foundation
import Purser

#if canImport(Glibc)
    import Glibc
#endif

/// One HTTP/1.1 connection over a Unix socket, blocking, for tools that must control every
/// byte they send (the fuzz test sends malformed requests no HTTP library would) or that
/// measure the server without a client library's cost (the benchmark). Everything else should
/// use ``PurserClient``.
public final class RawHTTPConnection {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(String, String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first { $0.0.lowercased() == wanted }?.1
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 65_536)

    /// Connects; reads and writes time out after `timeout`.
    public init(socketPath: String, timeout: Duration = .seconds(30)) throws {
        descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(socketPath.utf8)
        // No close() before these throws: every stored property is set by now, so a throw
        // runs deinit, which closes the descriptor. Closing it here as well closed it twice,
        // and the second close could shut whatever another thread had just opened under the
        // same number (seen as "Bad file descriptor" when a test launched a child process).
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw Failure(description: "socket path too long: \(socketPath)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            throw Failure(description: "connect(\(socketPath)): \(String(cString: strerror(errno)))")
        }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// A well-formed request's bytes.
    public static func request(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: purser\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    /// Writes all of `bytes`.
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    /// Reads one response (Content-Length or chunked body); `nil` if the server closed the
    /// connection before a response began. The head is parsed from its bytes: the benchmark's
    /// load generator shares the server's two cores, and splitting it as a `String` took a
    /// fifth of the generator's time.
    public func readResponse() throws -> Response? {
        guard let headEnd = try readUntil(Self.blankLine) else { return nil }
        let lines = Self.lines(buffer[start..<headEnd])
        start = headEnd + 4
        let statusParts = lines[0].split(separator: UInt8(ascii: " "), maxSplits: 2)
        guard statusParts.count >= 2, let status = Int(String(decoding: statusParts[1], as: UTF8.self)) else {
            throw Failure(description: "bad status line: \(String(decoding: lines[0], as: UTF8.self))")
        }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let value = String(decoding: line[line.index(after: colon)...], as: UTF8.self)
            headers.append((String(decoding: line[..<colon], as: UTF8.self), String(value[...].trimmingOptionalWhitespace())))
        }
        var response = Response(status: status, headers: headers, body: [])
        if let length = response.header("Content-Length").flatMap(Int.init) {
            try fill(length)
            response.body = Array(buffer[start..<(start + length)])
            start += length
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                guard let lineEnd = try readUntil(Self.lineEnd) else { throw Failure(description: "connection closed in a chunk") }
                let sizeText = String(decoding: buffer[start..<lineEnd], as: UTF8.self).split(separator: ";")[0]
                guard let size = Int(sizeText.trimmingOptionalWhitespace(), radix: 16) else {
                    throw Failure(description: "bad chunk size '\(sizeText)'")
                }
                start = lineEnd + 2
                try fill(size + 2)
                response.body.append(contentsOf: buffer[start..<(start + size)])
                start += size + 2
                if size == 0 { break }
            }
        }
        compact()
        return response
    }

    private static let lineEnd: [UInt8] = [13, 10]
    private static let blankLine: [UInt8] = [13, 10, 13, 10]

    /// `head` split at each CRLF.
    private static func lines(_ head: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var lineStart = head.startIndex
        var index = head.startIndex
        while index < head.endIndex {
            if head[index] == 13, index + 1 < head.endIndex, head[index + 1] == 10 {
                lines.append(head[lineStart..<index])
                index += 2
                lineStart = index
            } else {
                index += 1
            }
        }
        lines.append(head[lineStart..<head.endIndex])
        return lines
    }

    /// Sends a request and reads its response.
    public func roundTrip(_ bytes: [UInt8]) throws -> Response {
        try send(bytes)
        guard let response = try readResponse() else { throw Failure(description: "the server closed the connection") }
        return response
    }

    private func readUntil(_ marker: [UInt8]) throws -> Int? {
        var searchFrom = start
        while true {
            if buffer.count - searchFrom >= marker.count {
                for index in searchFrom...(buffer.count - marker.count) where buffer[index] == marker[0] {
                    if buffer[index..<(index + marker.count)].elementsEqual(marker) { return index }
                }
                searchFrom = buffer.count - marker.count + 1
            }
            guard try receive() else { return nil }
        }
    }

    private func fill(_ count: Int) throws {
        while buffer.count - start < count {
            guard try receive() else { throw Failure(description: "connection closed mid-body") }
        }
    }

    /// Reads what is available; false at end of stream. Reads into one buffer kept for the
    /// connection's life: a fresh 64 KiB one each time cost its zeroing on every response.
    private func receive() throws -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return true
            }
            if count == 0 { return false }
            if errno == EINTR { continue }
            throw Failure(description: "read: \(String(cString: strerror(errno)))")
        }
    }

    private func compact() {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// Whether a server accepts connections on a Unix socket (a socket file left behind by a
/// killed server accepts none).
public enum UnixSocketProbe {
    public static func accepts(_ path: String) -> Bool {
        (try? RawHTTPConnection(socketPath: path, timeout: .seconds(1))) != nil
    }
}
