import Foundation
import PurserConfig
import PurserTestKit
import Testing

@Suite("Rewriting the auth: section")
struct AuthSectionWriterTests {
    static func token(_ name: String, _ role: APIRole = .service, secret: String? = nil, at seconds: TimeInterval = 1_795_950_000)
        -> APIToken
    {
        APIToken(
            name: name, role: role, hash: APITokens.hash(secret ?? "purser_\(name)"),
            created: Date(timeIntervalSince1970: seconds))
    }

    static let billing = token("billing-service")
    static let finance = token("finance", .finance, at: 1_795_953_600)

    /// A file with every kind of line around an `auth:` block in the middle.
    static let document = """
        # Purser configuration.
        # Edited by hand; `purser auth token` rewrites only auth:.

        server:
          listen: 127.0.0.1:8088   # loopback only
          max_active_runs: 32

        auth:
          # old tokens
          tokens:
            - name: old
              role: admin
              sha256: \(APITokens.hash("purser_old"))
              created: 2020-01-01T00:00:00Z

        # The client side.
        client:
          token: purser_client

        tiers:
          - id: local
            provider: simulator
            model: "small"
            prices: {input: 0.10, output: 0.40}
            latency: {ttft_p50: 0.1, ttft_p95: 0.2, output_tokens_per_second: 100}
            reasoning_depth: low
            context_window: 8192
            max_output_tokens: 1024
            jurisdiction: no

        """

    @Test func writesTheDocumentedSchema() {
        #expect(AuthSectionWriter.section([]) == "auth:\n  tokens: []\n")
        #expect(AuthSectionWriter.replacingAuthSection(in: "", with: []) == "auth:\n  tokens: []\n")
        #expect(AuthSectionWriter.section([Self.billing, Self.finance]) == """
            auth:
              tokens:
                - name: billing-service
                  role: service
                  sha256: \(Self.billing.hash)
                  created: 2026-11-29T11:00:00Z
                - name: finance
                  role: finance
                  sha256: \(Self.finance.hash)
                  created: 2026-11-29T12:00:00Z

            """)
    }

    @Test func keepsEveryOtherLineByteForByte() throws {
        let rewritten = AuthSectionWriter.replacingAuthSection(in: Self.document, with: [Self.billing])
        let withoutOldBlock = Self.document.replacingOccurrences(of: """
            auth:
              # old tokens
              tokens:
                - name: old
                  role: admin
                  sha256: \(APITokens.hash("purser_old"))
                  created: 2020-01-01T00:00:00Z


            """, with: "\n")
        #expect(rewritten == withoutOldBlock + "\n" + AuthSectionWriter.section([Self.billing]))
        // The blank line and the comment that introduce `client:` stayed with it.
        #expect(rewritten.contains("max_active_runs: 32\n\n\n# The client side.\nclient:\n"))

        let configuration = try ConfigurationLoader.parse(yaml: rewritten)
        #expect(configuration.auth.tokens == [Self.billing])
        #expect(configuration.server.listen == "127.0.0.1:8088")
        #expect(configuration.client.token == "purser_client")
        #expect(configuration.declaredTiers?.tiers.first?.jurisdiction == "no")
    }

    @Test func rewritingIsIdempotentAndRoundTrips() throws {
        var text = Self.document
        for tokens in [[Self.billing], [Self.billing, Self.finance], [], [Self.finance]] {
            text = AuthSectionWriter.replacingAuthSection(in: text, with: tokens)
            #expect(try ConfigurationLoader.parse(yaml: text).auth.tokens == tokens, "\(text)")
            #expect(AuthSectionWriter.replacingAuthSection(in: text, with: tokens) == text)
        }
        #expect(text.hasPrefix(Self.document.components(separatedBy: "auth:")[0]))
        #expect(text.hasSuffix("\n\n" + AuthSectionWriter.section([Self.finance])))
    }

    @Test func awkwardNamesRoundTrip() throws {
        let names = ["no", "yes", "true", "null", "1.5", "2024-01-01", "0x10", "1e3", "NaN", "a.b-c_d", "9"]
        let tokens = names.enumerated().map { index, name in
            Self.token(name, APIRole.allCases[index % 3], at: 1_700_000_000 + Double(index))
        }
        let yaml = AuthSectionWriter.replacingAuthSection(in: "", with: tokens)
        #expect(try ConfigurationLoader.parse(yaml: yaml).auth.tokens == tokens, "\(yaml)")
    }

    @Test(arguments: [
        // Where the block is, and how the text ends.
        ("auth:\n  tokens: []\n", ""),
        ("auth:\n  tokens: []", ""),
        ("auth: {tokens: []}\ntiers: ~\n", "tiers: ~\n\n"),
        ("# head\nauth:   # tokens\n  tokens: []\n", "# head\n\n"),
        ("server: {}\nauth:\n  tokens: []\n", "server: {}\n\n"),
        ("server: {}", "server: {}\n\n"),
        ("server: {}\n\n\n", "server: {}\n\n\n"),
        // Windows line endings are kept on the lines that stay.
        ("server: {}\r\nauth:\r\n  tokens: []\r\nclient: {}\r\n", "server: {}\r\nclient: {}\r\n\n"),
        // Not the top-level auth: key.
        ("server:\n  auth: x\n", "server:\n  auth: x\n\n"),
        ("authority: x\n", "authority: x\n\n"),
        ("\"auth:\": x\n", "\"auth:\": x\n\n"),
        // Comments indented inside the block go with it; the blank line and the column-0
        // comment that introduce the next key stay.
        ("auth:\n  tokens:\n  # gone\n    - name: x\n\n# kept\ntiers: ~\n", "\n# kept\ntiers: ~\n\n"),
    ])
    func findsTheBlock(text: String, kept: String) {
        let rewritten = AuthSectionWriter.replacingAuthSection(in: text, with: [])
        #expect(rewritten == kept + "auth:\n  tokens: []\n", "\(rewritten.debugDescription)")
    }

    @Test func writesAFileAtomicallyOwnerOnlyAndKeepsTheRest() throws {
        let directory = try TemporaryDirectory(prefix: "purser-auth-writer")
        let file = directory.url.appendingPathComponent("purser.yaml")

        // Absent: created with the section alone.
        try AuthSectionWriter.write(tokens: [Self.billing], to: file)
        #expect(try String(contentsOf: file, encoding: .utf8) == AuthSectionWriter.section([Self.billing]))
        #expect(try Self.mode(of: file) == 0o600)

        // Present and world-readable: the rest kept, the mode tightened.
        try Data(Self.document.utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try AuthSectionWriter.write(tokens: [Self.finance], to: file)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == AuthSectionWriter.replacingAuthSection(in: Self.document, with: [Self.finance]))
        #expect(try Self.mode(of: file) == 0o600)
        #expect(try ConfigurationLoader.load(file: file).auth.tokens == [Self.finance])
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["purser.yaml"], "no temporary file left")
    }

    @Test func aFileThatWouldNotLoadIsNotWritten() throws {
        let directory = try TemporaryDirectory(prefix: "purser-auth-writer")
        let file = try directory.write("purser.yaml", "server:\n  listen: 0.0.0.0:80\n")
        let error = try #require(throws: ConfigurationError.self) {
            try AuthSectionWriter.write(tokens: [Self.billing], to: file)
        }
        #expect(error.problems.first?.description.contains("server.listen") == true)
        #expect(try String(contentsOf: file, encoding: .utf8) == "server:\n  listen: 0.0.0.0:80\n")

        // Tokens that break the rules (here a duplicate name) are refused too.
        let clean = try directory.write("clean.yaml", "")
        #expect(throws: ConfigurationError.self) {
            try AuthSectionWriter.write(tokens: [Self.billing, Self.token("billing-service", secret: "other")], to: clean)
        }
        #expect(try String(contentsOf: clean, encoding: .utf8) == "")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == ["clean.yaml", "purser.yaml"])
    }

    @Test func aSymbolicLinkIsFollowed() throws {
        let directory = try TemporaryDirectory(prefix: "purser-auth-writer")
        let real = try directory.write("config/real.yaml", "client: {}\n")
        let link = directory.url.appendingPathComponent("purser.yaml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)
        try AuthSectionWriter.write(tokens: [Self.billing], to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
        #expect(try String(contentsOf: real, encoding: .utf8) == "client: {}\n\n" + AuthSectionWriter.section([Self.billing]))
    }

    static func mode(of file: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }
}
