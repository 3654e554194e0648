import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserTools

@Suite("search_files")
struct FileSearchToolTests {
    /// A small knowledge base with the traps a sandbox must survive: hidden, binary and
    /// non-UTF-8 files, and links that point outside the root.
    struct Fixture {
        let root: TemporaryDirectory
        let outside: TemporaryDirectory

        init() throws {
            root = try TemporaryDirectory(prefix: "purser-search")
            outside = try TemporaryDirectory(prefix: "purser-outside")
            try root.write(
                "policies/refunds.md",
                """
                # Refund policy
                Refunds are issued within 30 days.
                Our refund policy covers damaged goods.
                """)
            try root.write(
                "faq.txt",
                """
                How long is shipping?
                Shipping takes 3-5 days.
                Refund requests go to support.
                """)
            try root.write("data.json", #"{"policy": "refund"}"#)
            try root.write(".hidden.md", "refund policy refund policy")
            try root.write(".git/config", "refund policy")
            // Binary: the NUL bytes give it away even though the rest decodes as text.
            try Data("refund policy\0\0\u{1}refund policy".utf8).write(to: root.url.appendingPathComponent("image.bin"))
            // Not UTF-8 (Latin-1 "é").
            try Data([0x72, 0x65, 0x66, 0x75, 0x6E, 0x64, 0x20, 0xE9, 0x0A])
                .write(to: root.url.appendingPathComponent("latin1.txt"))

            let secret = try outside.write("secret.md", "refund policy: the secret outside the root")
            try outside.write("folder/inner.md", "refund policy in an outside folder")
            try FileManager.default.createSymbolicLink(
                at: root.url.appendingPathComponent("leak.md"), withDestinationURL: secret)
            try FileManager.default.createSymbolicLink(
                at: root.url.appendingPathComponent("linked-folder"),
                withDestinationURL: outside.url.appendingPathComponent("folder"))
        }

        var tool: FileSearchTool { FileSearchTool(root: root.url) }
    }

    struct Found: Equatable, CustomStringConvertible {
        var path: String
        var line: Int
        var score: Double
        var description: String { "\(path):\(line) (\(score))" }
    }

    func found(_ result: JSONValue) throws -> [Found] {
        let matches = try #require(result["matches"]?.arrayValue)
        return try matches.map { match in
            Found(
                path: try #require(match["path"]?.stringValue), line: Int(try #require(match["line"]?.numberValue)),
                score: try #require(match["score"]?.numberValue))
        }
    }

    @Test("matches are ranked by score, then path, then line")
    func ranking() async throws {
        let fixture = try Fixture()
        let result = try await fixture.tool.validatedInvoke(["query": "Refund POLICY", "limit": 10])
        #expect(
            try found(result) == [
                Found(path: "policies/refunds.md", line: 1, score: 3),
                Found(path: "policies/refunds.md", line: 3, score: 3),
                Found(path: "data.json", line: 1, score: 2),
                Found(path: "faq.txt", line: 3, score: 1),
                Found(path: "policies/refunds.md", line: 2, score: 1),
            ])
        // faq.txt, data.json and refunds.md; the hidden, binary, non-UTF-8 and outside files are not searched.
        #expect(result["filesSearched"] == 3)

        let first = try #require(result["matches"]?.arrayValue?.first)
        #expect(first["snippet"] == "# Refund policy")
    }

    @Test("the default limit is 5 and a smaller limit cuts the list")
    func limit() async throws {
        let fixture = try Fixture()
        let many = (1...8).map { "line \($0) mentions shipping" }.joined(separator: "\n")
        try fixture.root.write("shipping.md", many)

        let byDefault = try await fixture.tool.invoke(["query": "shipping"])
        #expect(try found(byDefault).count == 5)

        let limited = try await fixture.tool.invoke(["query": "shipping", "limit": 2])
        #expect(try found(limited).map(\.path) == ["faq.txt", "faq.txt"])
        #expect(try found(limited).map(\.line) == [1, 2])
    }

    @Test("a limit outside 1...50 is refused", arguments: [0, 51, 2.5] as [JSONValue])
    func badLimit(limit: JSONValue) async throws {
        let fixture = try Fixture()
        let error = try await #require(throws: ToolError.self) {
            try await fixture.tool.invoke(["query": "refund", "limit": limit])
        }
        #expect(error.message.contains("'limit'"))
        await #expect(throws: ToolError.self) {
            try await fixture.tool.validatedInvoke(["query": "refund", "limit": limit])
        }
    }

    @Test("links out of the root are never followed")
    func sandbox() async throws {
        let fixture = try Fixture()
        let result = try await fixture.tool.invoke(["query": "secret outside folder", "limit": 50])
        #expect(try found(result).isEmpty, "\(result.compactJSON)")

        let everything = try await fixture.tool.invoke(["query": "refund", "limit": 50])
        let paths = Set(try found(everything).map(\.path))
        #expect(paths == ["policies/refunds.md", "faq.txt", "data.json"])
        #expect(!everything.compactJSON.contains("secret"))
    }

    @Test("a link that stays inside the root is searched under its own name")
    func insideLink() async throws {
        let fixture = try Fixture()
        try FileManager.default.createSymbolicLink(
            at: fixture.root.url.appendingPathComponent("alias.txt"),
            withDestinationURL: fixture.root.url.appendingPathComponent("faq.txt"))
        let result = try await fixture.tool.invoke(["query": "shipping", "limit": 50])
        #expect(Set(try found(result).map(\.path)) == ["alias.txt", "faq.txt"])
    }

    @Test("a link to a hidden file inside the root is not followed")
    func linkToHidden() async throws {
        let fixture = try Fixture()
        try FileManager.default.createSymbolicLink(
            at: fixture.root.url.appendingPathComponent("visible.md"),
            withDestinationURL: fixture.root.url.appendingPathComponent(".git/config"))
        let result = try await fixture.tool.invoke(["query": "refund", "limit": 50])
        #expect(!(try found(result).map(\.path)).contains("visible.md"))
        #expect(result["filesSearched"] == 3)
    }

    @Test("files over the size limit are skipped")
    func sizeLimit() async throws {
        let fixture = try Fixture()
        try fixture.root.write("large.txt", String(repeating: "shipping ", count: 100))
        let tool = FileSearchTool(root: fixture.root.url, maximumFileBytes: 200)
        let result = try await tool.invoke(["query": "shipping", "limit": 50])
        #expect(!(try found(result).map(\.path)).contains("large.txt"))
        let unlimited = try await fixture.tool.invoke(["query": "shipping", "limit": 50])
        #expect(try found(unlimited).map(\.path).contains("large.txt"))
    }

    @Test("long lines are cut to a snippet around the match")
    func snippet() async throws {
        let fixture = try Fixture()
        let long =
            String(repeating: "lorem ipsum ", count: 60) + "the warranty clause"
            + String(repeating: " dolor", count: 80)
        try fixture.root.write("long.txt", long)
        let result = try await fixture.tool.invoke(["query": "warranty"])
        let snippet = try #require(result["matches"]?.arrayValue?.first?["snippet"]?.stringValue)
        #expect(snippet.count <= FileSearchTool.maximumSnippetLength)
        #expect(snippet.contains("the warranty clause"))
        #expect(snippet.hasPrefix("…") && snippet.hasSuffix("…"))
    }

    @Test("an empty query is refused", arguments: ["", "   ", "\n\t", "?!"])
    func emptyQuery(query: String) async throws {
        let fixture = try Fixture()
        let error = try await #require(throws: ToolError.self) {
            try await fixture.tool.invoke(["query": .string(query)])
        }
        #expect(error.tool == "search_files")
        #expect(error.message.contains("query"))
    }

    @Test("a missing query argument is refused")
    func missingQuery() async throws {
        let fixture = try Fixture()
        await #expect(throws: ToolError.self) { try await fixture.tool.invoke([:]) }
        await #expect(throws: ToolError.self) { try await fixture.tool.invoke(["query": 3]) }
    }

    @Test("a missing root folder is an error naming the path")
    func missingRoot() async throws {
        let missing = FileManager.default.temporaryDirectory
            .appendingPathComponent("purser-missing-\(UUID().uuidString)")
        let error = try await #require(throws: ToolError.self) {
            try await FileSearchTool(root: missing).invoke(["query": "refund"])
        }
        #expect(error.message.contains(missing.path))
        #expect(error.message.contains("does not exist"))
    }

    @Test("a root that is a file is an error")
    func rootIsFile() async throws {
        let fixture = try Fixture()
        let file = fixture.root.url.appendingPathComponent("faq.txt")
        let error = try await #require(throws: ToolError.self) {
            try await FileSearchTool(root: file).invoke(["query": "refund"])
        }
        #expect(error.message.contains("not a folder"))
    }

    @Test("a root reached through a link works")
    func linkedRoot() async throws {
        let fixture = try Fixture()
        let holder = try TemporaryDirectory(prefix: "purser-link")
        let link = holder.url.appendingPathComponent("kb")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: fixture.root.url)
        let result = try await FileSearchTool(root: link).invoke(["query": "refund policy", "limit": 1])
        #expect(try found(result) == [Found(path: "policies/refunds.md", line: 1, score: 3)])
    }

    @Test("query words are lower-cased, split on punctuation and deduplicated")
    func terms() {
        #expect(FileSearchTool.terms(of: "Refund-policy? REFUND, policy!") == ["refund", "policy"])
    }
}
