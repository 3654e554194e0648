import Foundation
import Purser
import PurserConfig
import PurserTestKit
import Testing

/// `purser auth token create | list | revoke` through the real executable, with a temporary
/// data directory.
@Suite("purser auth token")
struct AuthCommandTests {
    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory(prefix: "purser-auth-home")
    }

    var configFile: URL { home.url.appendingPathComponent("purser.yaml") }

    func purser(_ arguments: String...) async throws -> PurserOutcome {
        try await PurserProcess.run(arguments, home: home.path)
    }

    func configText() throws -> String { try String(contentsOf: configFile, encoding: .utf8) }

    func tokens() throws -> AuthConfiguration { try ConfigurationLoader.load(file: configFile).auth }

    /// Creates a token and returns its secret, checking that it came out alone on its line.
    func create(_ name: String, role: String = "service") async throws -> String {
        let outcome = try await purser("auth", "token", "create", "--role", role, "--name", name)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let secret = try #require(outcome.stdout.split(separator: "\n").first.map(String.init))
        #expect(outcome.stdout == secret + "\n", "the secret alone on standard output")
        return secret
    }

    static func isSecret(_ text: String) -> Bool {
        let body = text.dropFirst("purser_".count)
        return text.hasPrefix("purser_") && body.count == 43
            && body.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" }
    }

    @Test func createPrintsTheSecretOnceAndStoresOnlyItsHash() async throws {
        let outcome = try await purser("auth", "token", "create", "--role", "service", "--name", "billing-service")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let secret = String(outcome.stdout.dropLast())
        #expect(outcome.stdout == secret + "\n")
        #expect(Self.isSecret(secret), "\(secret)")
        #expect(outcome.stderr.contains("created token 'billing-service' (role service)"))
        #expect(outcome.stderr.contains("will not be shown again"))
        #expect(!outcome.stderr.contains(secret))

        let text = try configText()
        #expect(!text.contains(secret), "only the hash is stored")
        #expect(!text.contains(String(secret.dropFirst(7))))
        #expect(text.contains("sha256: \(APITokens.hash(secret))"))
        let attributes = try FileManager.default.attributesOfItem(atPath: configFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).sorted() == ["purser.yaml", "purser.yaml.lock"])

        let token = try #require(try tokens().token(forBearer: secret))
        #expect(token.name == "billing-service")
        #expect(token.role == .service)
        #expect(abs(token.created.timeIntervalSinceNow) < 60)

        // Never shown again: not by list, in either form.
        let list = try await purser("auth", "token", "list")
        #expect(list.status == 0)
        #expect(!list.stdout.contains(secret))
        #expect(!list.stdout.contains(token.hash), "only the start of the hash")
        let rows = list.stdout.split(separator: "\n")
        #expect(rows.first?.split(separator: " ", omittingEmptySubsequences: true) == ["name", "role", "created", "sha256"])
        #expect(rows.count == 3)
        #expect(rows.last?.split(separator: " ", omittingEmptySubsequences: true) == [
            "billing-service", "service", Substring(token.created.formatted(.iso8601)), Substring(token.hash.prefix(8)),
        ])

        let json = try await purser("auth", "token", "list", "--json")
        #expect(json.status == 0)
        #expect(!json.stdout.contains(secret))
        let entries = try #require(try JSONValue(parsing: json.stdout).arrayValue)
        #expect(entries == [
            .object([
                "name": "billing-service", "role": "service", "created": .string(token.created.formatted(.iso8601)),
                "sha256_prefix": .string(String(token.hash.prefix(8))),
            ])
        ])
        #expect(try await purser("auth", "token").stdout == list.stdout, "list is the default")
    }

    @Test func everyRoleAndEverySecretIsDifferent() async throws {
        var secrets: Set<String> = []
        for role in APIRole.allCases { secrets.insert(try await create("holder-\(role.rawValue)", role: role.rawValue)) }
        #expect(secrets.count == 3)
        let auth = try tokens()
        #expect(auth.tokens.map(\.role) == APIRole.allCases)
        for secret in secrets { #expect(auth.token(forBearer: secret) != nil) }
    }

    @Test func createKeepsTheRestOfPurserYAML() async throws {
        let original = """
            # Hand-written; keep this comment.
            server:
              listen: 127.0.0.1:8088   # loopback

            tiers:
              - id: local
                provider: simulator
                model: small
                prices: {input: 0.10, output: 0.40}
                latency: {ttft_p50: 0.1, ttft_p95: 0.2, output_tokens_per_second: 100}
                reasoning_depth: low
                context_window: 8192
                max_output_tokens: 1024
                jurisdiction: no

            """
        try Data(original.utf8).write(to: configFile)
        let first = try await create("first")
        #expect(try configText().hasPrefix(original))
        let second = try await create("second", role: "admin")
        #expect(try configText().hasPrefix(original))
        #expect(try tokens().tokens.map(\.name) == ["first", "second"])
        #expect(try tokens().token(forBearer: first)?.name == "first")
        #expect(try tokens().token(forBearer: second)?.role == .admin)
        let check = try await purser("tiers", "check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout == "ok: 1 tier\n")
    }

    @Test func aDuplicateNameExits65AndChangesNothing() async throws {
        _ = try await create("billing")
        let before = try configText()
        let again = try await purser("auth", "token", "create", "--role", "admin", "--name", "billing")
        #expect(again.status == 65)
        #expect(again.stdout.isEmpty, "no secret printed")
        #expect(again.stderr.contains("error: a token named 'billing' already exists (role service"), "\(again.stderr)")
        #expect(again.stderr.contains("purser auth token revoke billing"))
        #expect(try configText() == before)
    }

    @Test(arguments: [
        (["--role", "root", "--name", "x"], "--role must be one of service, finance, admin, got 'root'"),
        (["--role", "Admin", "--name", "x"], "--role must be one of service, finance, admin, got 'Admin'"),
        (["--role", "", "--name", "x"], "--role must be one of service, finance, admin"),
        (["--role", "service", "--name", "has space"], "--name: 'has space' is not a valid token name"),
        (["--role", "service", "--name", ""], "--name: a token name must not be empty"),
        (["--role", "service", "--name=-x"], "--name: '-x' is not a valid token name"),
        (["--name", "x"], "Missing expected argument '--role <role>'"),
        (["--role", "service"], "Missing expected argument '--name <name>'"),
    ])
    func badArgumentsAreUsageErrors(arguments: [String], message: String) async throws {
        let outcome = try await PurserProcess.run(["auth", "token", "create"] + arguments, home: home.path)
        #expect(outcome.status == 64, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: configFile.path), "nothing written")
    }

    @Test func revokeRemovesOneTokenAndUnknownNamesExit66() async throws {
        let billing = try await create("billing")
        let finance = try await create("finance", role: "finance")
        let revoke = try await purser("auth", "token", "revoke", "billing")
        #expect(revoke.status == 0, "\(revoke.stderr)")
        #expect(revoke.stdout == "revoked billing\n")
        #expect(revoke.stderr.isEmpty)
        #expect(try tokens().token(forBearer: billing) == nil)
        #expect(try tokens().token(forBearer: finance)?.name == "finance")
        #expect(try await purser("auth", "token", "list").stdout.contains("billing") == false)

        let before = try configText()
        for name in ["billing", "nobody", ""] {
            let unknown = try await purser("auth", "token", "revoke", name)
            #expect(unknown.status == 66, "\(name): \(unknown.stderr)")
            #expect(unknown.stderr == "error: there is no token named '\(name)' (see `purser auth token list`)\n")
            #expect(try configText() == before)
        }

        // The last one: no tokens remain, and the server will make its own admin token.
        let last = try await purser("auth", "token", "revoke", "finance")
        #expect(last.status == 0)
        #expect(last.stderr.contains("no tokens remain"))
        #expect(try configText().hasSuffix("auth:\n  tokens: []\n"))
        #expect(try tokens() == .empty)
        let list = try await purser("auth", "token", "list")
        #expect(list.stdout.hasPrefix("no API tokens"))
        #expect(try JSONValue(parsing: try await purser("auth", "token", "list", "--json").stdout) == .array([]))
    }

    @Test func withoutAFileListSaysSoAndRevokeFindsNothing() async throws {
        let list = try await purser("auth", "token", "list")
        #expect(list.status == 0)
        #expect(list.stdout == "no API tokens (create one with `purser auth token create --role ROLE --name NAME`)\n")
        let json = try await purser("auth", "token", "list", "--json")
        #expect(json.status == 0)
        #expect(try JSONValue(parsing: json.stdout) == .array([]))
        #expect(try await purser("auth", "token", "revoke", "x").status == 66)
        #expect(!FileManager.default.fileExists(atPath: configFile.path))
        // Not even a data directory: the same answers, and none is created.
        let nowhere = home.url.appendingPathComponent("missing").path
        let revoke = try await PurserProcess.run(["auth", "token", "revoke", "x"], home: nowhere)
        #expect(revoke.status == 66, "\(revoke.stderr)")
        #expect(try await PurserProcess.run(["auth", "token", "list"], home: nowhere).status == 0)
        #expect(!FileManager.default.fileExists(atPath: nowhere))
    }

    @Test func anInvalidConfigurationIsNeverRewritten() async throws {
        let broken = "server:\n  listen: 0.0.0.0:8088\n"
        try Data(broken.utf8).write(to: configFile)
        for arguments in [["auth", "token", "create", "--role", "admin", "--name", "x"], ["auth", "token", "revoke", "x"],
                          ["auth", "token", "list"]] {
            let outcome = try await PurserProcess.run(arguments, home: home.path)
            #expect(outcome.status == 78, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr.contains("\(configFile.path):2: server.listen: '0.0.0.0' is not a loopback address"))
            #expect(try configText() == broken)
        }
    }

    @Test func concurrentCreatesAllLand() async throws {
        let names = (0..<6).map { "worker-\($0)" }
        let secrets = try await withThrowingTaskGroup(of: (String, PurserOutcome).self) { group in
            for name in names {
                group.addTask {
                    (name, try await PurserProcess.run(
                        ["auth", "token", "create", "--role", "service", "--name", name], home: home.path))
                }
            }
            var secrets: [String: String] = [:]
            for try await (name, outcome) in group {
                #expect(outcome.status == 0, "\(name): \(outcome.stderr)")
                secrets[name] = String(outcome.stdout.dropLast())
            }
            return secrets
        }
        let auth = try tokens()
        #expect(Set(auth.tokens.map(\.name)) == Set(names), "no create lost another's token")
        for (name, secret) in secrets { #expect(auth.token(forBearer: secret)?.name == name) }
    }
}
