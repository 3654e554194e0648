import Foundation
import PurserClient
import PurserTestKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The raw client reads the server's answers for the fuzz suite and the benchmark, so its
/// parsing of a response head and body is held to canned bytes here, split across writes the
/// way a socket may deliver them. Its reads block, so they run off the cooperative pool: held
/// there, they kept other suites' tasks waiting on a loaded machine.
@Suite("RawHTTPConnection")
struct RawHTTPConnectionTests {
    @Test("reads status, headers (any case, padded values) and a Content-Length body, then the next response")
    func contentLength() async throws {
        let responses =
            "HTTP/1.1 201 Created\r\ncontent-type:  application/json \r\nX-Empty:\r\nContent-Length: 7\r\n\r\n{\"a\":1}"
            + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
        let read = try await CannedPeer.read(Array(responses.utf8), inPiecesOf: 5, responses: 3)
        let first = try #require(try read[0].get())
        #expect(first.status == 201)
        #expect(first.header("Content-Type") == "application/json")
        #expect(first.header("x-empty") == "")
        #expect(first.header("Missing") == nil)
        #expect(String(decoding: first.body, as: UTF8.self) == #"{"a":1}"#)
        let second = try #require(try read[1].get())
        #expect(second.status == 404)
        #expect(second.body.isEmpty)
        #expect(try read[2].get() == nil)
    }

    @Test("reads a chunked body whole, chunk extensions ignored")
    func chunked() async throws {
        let response =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n4;ext=1\r\nabcd\r\nA\r\n0123456789\r\n0\r\n\r\n"
        let read = try #require(try await CannedPeer.read(Array(response.utf8), inPiecesOf: 3, responses: 1)[0].get())
        #expect(read.status == 200)
        #expect(String(decoding: read.body, as: UTF8.self) == "abcd0123456789")
    }

    @Test("refuses a status line without a number, and a body cut short")
    func malformed() async throws {
        let badStatus = try await CannedPeer.read(Array("HTTP/1.1 OK\r\n\r\n".utf8), inPiecesOf: 64, responses: 1)
        #expect(throws: RawHTTPConnection.Failure.self) { try badStatus[0].get() }
        let cut = try await CannedPeer.read(
            Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8), inPiecesOf: 64, responses: 1)
        #expect(throws: RawHTTPConnection.Failure.self) { try cut[0].get() }
    }
}

/// A Unix socket that accepts one connection, writes `bytes` to it a few at a time, and
/// closes it; `read` connects the raw client to it and reads `responses` answers (each an
/// answer, `nil` at the end of the stream, or the error reading it), on a thread of its own.
private enum CannedPeer {
    static func read(_ bytes: [UInt8], inPiecesOf size: Int, responses: Int) async throws
        -> [Result<RawHTTPConnection.Response?, any Error>]
    {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("raw-\(UUID().uuidString.prefix(8)).sock").path
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        try #require(listener >= 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        try #require(bound == 0 && listen(listener, 1) == 0)
        let writer = Thread {
            let peer = accept(listener, nil, nil)
            var offset = 0
            while peer >= 0, offset < bytes.count {
                let end = min(offset + size, bytes.count)
                let written = bytes[offset..<end].withUnsafeBytes { write(peer, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
                usleep(200)
            }
            if peer >= 0 { close(peer) }
            close(listener)
            unlink(path)
        }
        writer.start()
        return try await offThePool {
            let connection = try RawHTTPConnection(socketPath: path, timeout: .seconds(5))
            return (0..<responses).map { _ in Result { try connection.readResponse() } }
        }
    }
}
