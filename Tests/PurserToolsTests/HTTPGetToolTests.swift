import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserTools

@Suite("http_get")
struct HTTPGetToolTests {
    func refusal(_ tool: HTTPGetTool, _ url: String) async throws -> ToolError {
        let error = try await #require(throws: ToolError.self) { try await tool.invoke(["url": .string(url)]) }
        #expect(error.tool == "http_get")
        #expect(!error.isRetryable, "a refusal will not change on a retry")
        return error
    }

    // MARK: - Refusals (no network involved: they fail before any request)

    @Test("hosts off the allow-list are refused, naming the host and the list")
    func allowList() async throws {
        let tool = HTTPGetTool(allowedHosts: ["example.com", "api.example.org"])
        let error = try await refusal(tool, "https://evil.example.net/steal?data=1")
        #expect(error.message.contains("'evil.example.net'"))
        #expect(error.message.contains("api.example.org, example.com"))

        // Exact match only: a subdomain is a different host.
        #expect(try await refusal(tool, "https://www.example.com/").message.contains("'www.example.com'"))
    }

    @Test("host matching ignores case and a trailing dot", arguments: [
        "https://EXAMPLE.com/", "http://example.COM./path", "https://example.com:8443/x?y=1",
    ])
    func hostMatching(url: String) throws {
        let tool = HTTPGetTool(allowedHosts: ["Example.Com"])
        #expect(tool.refusal(for: try #require(URL(string: url))) == nil)
    }

    @Test("an empty allow-list refuses everything")
    func emptyAllowList() async throws {
        let error = try await refusal(HTTPGetTool(allowedHosts: []), "https://example.com/")
        #expect(error.message.contains("the allow-list is empty"))
    }

    @Test(
        "only http and https are fetched",
        arguments: [
            ("ftp://example.com/file.txt", "'ftp'"), ("file:///etc/passwd", "'file'"),
            ("javascript:alert(1)", "'javascript'"), ("example.com/page", "no scheme"),
        ])
    func schemes(url: String, expected: String) async throws {
        let error = try await refusal(HTTPGetTool(allowedHosts: ["example.com"]), url)
        #expect(error.message.contains(expected), "got: \(error.message)")
    }

    @Test(
        "URLs with user info are refused",
        arguments: ["https://user:secret@example.com/", "https://user@example.com/", "https://example.com@evil.com/"])
    func userInfo(url: String) async throws {
        let error = try await refusal(HTTPGetTool(allowedHosts: ["example.com", "evil.com"]), url)
        #expect(error.message.contains("user info"))
    }

    @Test("a missing or empty url is refused")
    func missingURL() async throws {
        let tool = HTTPGetTool(allowedHosts: ["example.com"])
        #expect(try await refusal(tool, "  ").message.contains("the url is empty"))
        await #expect(throws: ToolError.self) { try await tool.invoke([:]) }
        await #expect(throws: ToolError.self) { try await tool.validatedInvoke(["url": 1]) }
    }

    @Test("a text cut inside a multi-byte character is still text; binary is not")
    func bodyDecoding() {
        let e = Data("é".utf8)
        #expect(HTTPGetTool.text(of: Data("ab".utf8) + e.prefix(1), truncated: true) == "ab")
        #expect(HTTPGetTool.text(of: Data("ab".utf8) + e.prefix(1), truncated: false) == nil)
        #expect(HTTPGetTool.text(of: Data([0x61, 0x00, 0x62]), truncated: false) == nil)
        #expect(HTTPGetTool.text(of: Data([0xFF, 0xFE, 0xFD, 0xFC]), truncated: true) == nil)
    }

    // MARK: - Real requests against a local server

    struct Site {
        let folder: TemporaryDirectory
        let server: LocalHTTPServer

        init() async throws {
            folder = try TemporaryDirectory(prefix: "purser-http")
            try folder.write("hello.txt", "Hello from the test server.\n")
            try folder.write("accents.txt", "ééééé")
            try folder.write("sub/page.txt", "nested")
            try Data([0x89, 0x50, 0x4E, 0x47, 0x00, 0x01, 0xFF])
                .write(to: folder.url.appendingPathComponent("logo.png"))
            server = try await LocalHTTPServer.start(serving: folder.url)
        }

        func tool(maximumBodyBytes: Int = HTTPGetTool.defaultMaximumBodyBytes) -> HTTPGetTool {
            HTTPGetTool(allowedHosts: ["127.0.0.1"], timeout: 5, maximumBodyBytes: maximumBodyBytes)
        }
    }

    @Test("fetches a file, truncates at the limit, reports a 404, and refuses binary bodies")
    func localServer() async throws {
        let site = try await Site()
        defer { site.server.stop() }
        let base = site.server.baseURL

        let hello = try await site.tool().validatedInvoke(["url": .string("\(base)/hello.txt")])
        #expect(hello["status"] == 200)
        #expect(hello["body"] == "Hello from the test server.\n")
        #expect(hello["truncated"] == false)
        #expect(hello["contentType"]?.stringValue?.hasPrefix("text/plain") == true)

        let cut = try await site.tool(maximumBodyBytes: 10).invoke(["url": .string("\(base)/hello.txt")])
        #expect(cut["status"] == 200)
        #expect(cut["body"] == "Hello from")
        #expect(cut["truncated"] == true)

        // 5 bytes of "ééééé" end halfway through the third "é".
        let accents = try await site.tool(maximumBodyBytes: 5).invoke(["url": .string("\(base)/accents.txt")])
        #expect(accents["body"] == "éé")
        #expect(accents["truncated"] == true)

        let missing = try await site.tool().invoke(["url": .string("\(base)/nope.txt")])
        #expect(missing["status"] == 404)
        #expect(missing["truncated"] == false)

        let binary = try await site.tool().invoke(["url": .string("\(base)/logo.png")])
        #expect(binary["status"] == 200)
        #expect(binary["contentType"] == "image/png")
        #expect(binary["body"]?.stringValue?.contains("7 bytes of image/png not shown") == true)

        // The server redirects /sub to the relative /sub/ on the same, allowed, host: followed.
        let listing = try await site.tool().invoke(["url": .string("\(base)/sub")])
        #expect(listing["status"] == 200)
        #expect(listing["body"]?.stringValue?.contains("page.txt") == true)
    }

    @Test("a redirect is followed only to an allowed host")
    func redirects() async throws {
        let site = try await Site()
        defer { site.server.stop() }
        let target = "http://localhost:\(site.server.port)/hello.txt"
        let redirector = try await LocalHTTPServer.start(redirectingTo: target)
        defer { redirector.stop() }
        let start = "\(redirector.baseURL)/go"

        let strict = HTTPGetTool(allowedHosts: ["127.0.0.1"], timeout: 5)
        let error = try await refusal(strict, start)
        #expect(error.message.contains("refused to follow a redirect"))
        #expect(error.message.contains("'localhost'"))

        let lenient = HTTPGetTool(allowedHosts: ["127.0.0.1", "localhost"], timeout: 5)
        let followed = try await lenient.invoke(["url": .string(start)])
        #expect(followed["status"] == 200)
        #expect(followed["body"] == "Hello from the test server.\n")
    }

    @Test("a refused connection is a retryable error")
    func connectionRefused() async throws {
        let port = try LoopbackSocket.freePort()
        let tool = HTTPGetTool(allowedHosts: ["127.0.0.1"], timeout: 5)
        let error = try await #require(throws: ToolError.self) {
            try await tool.invoke(["url": .string("http://127.0.0.1:\(port)/")])
        }
        #expect(error.isRetryable)
        #expect(error.message.contains("could not fetch http://127.0.0.1:\(port)/"))
    }

    @Test("a server that never answers times out, retryably", .timeLimit(.minutes(5)))
    func timeout() async throws {
        let silent = try LoopbackSocket()
        try silent.listen()
        let tool = HTTPGetTool(allowedHosts: ["127.0.0.1"], timeout: 1)
        let started = ContinuousClock.now
        let error = try await #require(throws: ToolError.self) {
            try await tool.invoke(["url": .string("http://127.0.0.1:\(silent.port)/")])
        }
        let elapsed = ContinuousClock.now - started
        #expect(error.isRetryable)
        #expect(error.message.contains("timed out after 1 s"), "got: \(error.message)")
        // It waited for the timeout rather than failing at once. No upper bound on the wall
        // clock: a loaded machine can be slow to wake the task; the time limit catches a hang.
        #expect(elapsed > .milliseconds(800), "took \(elapsed)")
    }

    @Test("timeouts are never so short that every fetch fails at once")
    func timeoutFloor() {
        #if canImport(FoundationNetworking)
        #expect(HTTPGetTool(allowedHosts: [], timeout: 0.5).timeout == 1)
        #expect(HTTPGetTool(allowedHosts: [], timeout: 2.2).timeout == 3)
        #else
        #expect(HTTPGetTool(allowedHosts: [], timeout: 0.5).timeout == 0.5)
        #endif
        #expect(HTTPGetTool(allowedHosts: []).timeout == HTTPGetTool.defaultTimeout)
    }
}
