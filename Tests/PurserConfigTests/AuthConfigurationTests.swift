import Foundation
import PurserConfig
import Testing

@Suite("API tokens and the auth: section")
struct AuthConfigurationTests {
    static let billingHash = APITokens.hash("purser_billing")
    static let financeHash = APITokens.hash("purser_finance")

    /// Two tokens, the second at line 8.
    static let example = """
        auth:
          tokens:
            - name: billing-service
              role: service
              sha256: \(billingHash)
              created: 2026-11-29T11:00:00Z
            # The finance team's reporting job.
            - name: finance-reports
              role: finance
              sha256: \(financeHash)
              created: 2026-11-30T09:30:00+01:00
        """

    static func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: ConfigurationError.self) { try ConfigurationLoader.parse(yaml: yaml) }
        return error.problems.map(\.description)
    }

    static func date(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle().parse(text)
    }

    // MARK: Secrets and hashes

    @Test func hashesAreSHA256InLowercaseHex() {
        #expect(APITokens.hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(APITokens.hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func generatedSecretsArePrefixed43CharacterBase64URLAndUnique() {
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        var seen: Set<String> = []
        for _ in 0..<2_000 {
            let secret = APITokens.generate()
            #expect(secret.hasPrefix("purser_"))
            let body = secret.dropFirst("purser_".count)
            #expect(body.count == 43, "\(secret)")
            #expect(body.allSatisfy(alphabet.contains), "\(secret)")
            seen.insert(secret)
        }
        #expect(seen.count == 2_000)
        // Random bits: over 2,000 secrets the first character takes (nearly) all 64 values.
        let firstCharacters = Set(seen.compactMap { $0.dropFirst(7).first })
        #expect(firstCharacters.count > 50)
    }

    // MARK: Lookup

    @Test func aBearerSecretFindsItsTokenByHash() throws {
        let auth = try AuthConfiguration(tokens: [
            APIToken(name: "billing", role: .service, hash: Self.billingHash, created: .now),
            APIToken(name: "finance", role: .finance, hash: Self.financeHash, created: .now),
        ])
        #expect(auth.token(forBearer: "purser_billing")?.name == "billing")
        #expect(auth.token(forBearer: "purser_finance")?.role == .finance)
        #expect(auth.token(forBearer: "purser_nobody") == nil)
        #expect(auth.token(forBearer: Self.billingHash) == nil, "the stored hash is not a secret")
        #expect(auth.token(forBearer: "") == nil)
        #expect(auth.token(named: "finance")?.hash == Self.financeHash)
        #expect(auth.token(named: "nobody") == nil)
        #expect(AuthConfiguration.empty.tokens.isEmpty)
        #expect(AuthConfiguration.empty.token(forBearer: "purser_billing") == nil)
    }

    @Test func namesAndHashesMustBeUniqueAndWellFormed() throws {
        let now = Date.now
        let error = try #require(throws: AuthConfigurationError.self) {
            try AuthConfiguration(tokens: [
                APIToken(name: "a", role: .service, hash: Self.billingHash, created: now),
                APIToken(name: "a", role: .admin, hash: Self.financeHash, created: now),
                APIToken(name: "b", role: .admin, hash: Self.billingHash, created: now),
                APIToken(name: "has space", role: .admin, hash: Self.billingHash.uppercased(), created: now),
            ])
        }
        #expect(error.problems.map(\.description) == [
            "tokens[1]: name: duplicate name 'a': tokens[0] has it too",
            "tokens[2]: sha256: duplicate sha256: two tokens with one secret: tokens[0] has it too",
            "tokens[3]: name: 'has space' is not a valid token name: use letters, digits, '.', '_' and '-', starting with a letter or digit",
            "tokens[3]: sha256: expected the token's SHA-256 as 64 lowercase hex digits, got '\(Self.billingHash.uppercased())' (64 characters)",
        ])
        #expect(error.description.hasPrefix("the API tokens have 4 problems:\n  - tokens[1]"))
    }

    @Test(arguments: [
        ("billing-service", nil),
        ("a", nil),
        ("svc.v2_blue-1", nil),
        ("", "a token name must not be empty"),
        ("-flag", "'-flag' is not a valid token name"),
        (".hidden", "'.hidden' is not a valid token name"),
        ("naïve", "'naïve' is not a valid token name"),
        ("a/b", "'a/b' is not a valid token name"),
        (String(repeating: "x", count: 65), "a token name must be at most 64 characters, got 65"),
    ] as [(String, String?)])
    func tokenNames(name: String, problem: String?) {
        let found = APIToken.problem(withName: name)
        if let problem {
            #expect(found?.hasPrefix(problem) == true, "\(String(describing: found))")
        } else {
            #expect(found == nil)
        }
    }

    // MARK: Loading

    @Test func loadsEveryField() throws {
        let auth = try ConfigurationLoader.parse(yaml: Self.example).auth
        #expect(auth.tokens == [
            APIToken(name: "billing-service", role: .service, hash: Self.billingHash, created: try Self.date("2026-11-29T11:00:00Z")),
            APIToken(name: "finance-reports", role: .finance, hash: Self.financeHash, created: try Self.date("2026-11-30T08:30:00Z")),
        ])
        #expect(auth.token(forBearer: "purser_finance")?.name == "finance-reports")
    }

    @Test(arguments: ["", "# nothing\n", "auth:\n", "auth: {}\n", "auth:\n  tokens: []\n", "auth:\n  tokens:\n"])
    func noTokensByDefault(yaml: String) throws {
        #expect(try ConfigurationLoader.parse(yaml: yaml).auth == .empty)
    }

    @Test(arguments: [
        ("      role: service", "      role: root",
         "purser.yaml:4: auth.tokens[0].role: expected one of service, finance, admin, got 'root'"),
        ("      role: service", "      role: [admin]",
         "purser.yaml:4: auth.tokens[0].role: expected one of service, finance, admin, got a list"),
        ("      sha256: \(billingHash)", "      sha256: 9f86d0",
         "purser.yaml:5: auth.tokens[0].sha256: expected the token's SHA-256 as 64 lowercase hex digits, got '9f86d0' (6 characters)"),
        ("      sha256: \(billingHash)", "      sha256: \(billingHash.uppercased())",
         "purser.yaml:5: auth.tokens[0].sha256: expected the token's SHA-256 as 64 lowercase hex digits"),
        ("      sha256: \(billingHash)", "      sha256: \(billingHash.dropLast())g",
         "purser.yaml:5: auth.tokens[0].sha256: expected the token's SHA-256 as 64 lowercase hex digits"),
        ("      sha256: \(billingHash)", "      sha256: purser_billing",
         "purser.yaml:5: auth.tokens[0].sha256: expected the token's SHA-256 as 64 lowercase hex digits, got 'purser_billing'"),
        ("      created: 2026-11-29T11:00:00Z", "      created: yesterday",
         "purser.yaml:6: auth.tokens[0].created: expected a UTC date and time such as 2026-11-29T11:00:00Z, got 'yesterday'"),
        ("      created: 2026-11-29T11:00:00Z", "      created: 2026-02-30T11:00:00Z",
         "purser.yaml:6: auth.tokens[0].created: expected a UTC date and time such as 2026-11-29T11:00:00Z, got '2026-02-30T11:00:00Z'"),
        ("      created: 2026-11-29T11:00:00Z", "      created: 2026-11-29",
         "purser.yaml:6: auth.tokens[0].created: expected a UTC date and time such as 2026-11-29T11:00:00Z, got '2026-11-29'"),
        ("      created: 2026-11-29T11:00:00Z", "      created: 2026-11-29T11:00:00",
         "purser.yaml:6: auth.tokens[0].created: expected a UTC date and time such as 2026-11-29T11:00:00Z, got '2026-11-29T11:00:00'"),
        ("    - name: billing-service", "    - name: billing service",
         "purser.yaml:3: auth.tokens[0].name: 'billing service' is not a valid token name"),
        ("    - name: billing-service", "    - name:",
         "purser.yaml:3: auth.tokens[0].name: has no value; it is required"),
        ("      created: 2026-11-29T11:00:00Z\n", "",
         "purser.yaml:3: auth.tokens[0].created: missing; it is required"),
        ("      role: service", "      role: service\n      scope: all",
         "purser.yaml:5: auth.tokens[0].scope: unknown key (known: name, role, sha256, created)"),
        ("      role: service", "      rol: service",
         "purser.yaml:3: auth.tokens[0].role: missing; it is required\n"
            + "purser.yaml:4: auth.tokens[0].rol: unknown key (did you mean 'role'?) (known: name, role, sha256, created)"),
        ("  tokens:", "  tokns:",
         "purser.yaml:2: auth.tokns: unknown key (did you mean 'tokens'?) (known: tokens)"),
    ] as [(String, String, String)])
    func reportsEveryBadValueWithLineAndKeyPath(original: String, replacement: String, expected: String) throws {
        let firstToken = Self.example.components(separatedBy: "    # The finance")[0]
        let yaml = firstToken.replacingOccurrences(of: original, with: replacement)
        #expect(yaml != firstToken)
        // One problem a line, each given in full or as its start.
        let expected = expected.components(separatedBy: "\n")
        let problems = try Self.problems(yaml)
        #expect(problems.count == expected.count, "\(problems)")
        for (problem, start) in zip(problems, expected) { #expect(problem.hasPrefix(start), "\(problems)") }
    }

    @Test func theSectionAndTheListMustHaveTheRightShape() throws {
        #expect(try Self.problems("auth:\n  tokens: billing\n") == [
            "purser.yaml:2: auth.tokens: expected a list, got 'billing'"
        ])
        #expect(try Self.problems("auth: [x]\n") == [
            "purser.yaml:1: auth: expected a mapping of tokens, got a list"
        ])
        #expect(try Self.problems("auth:\n  tokens:\n    - billing\n") == [
            "purser.yaml:3: auth.tokens[0]: expected a mapping of name, role, sha256, ..., got 'billing'"
        ])
    }

    @Test func duplicateNamesAndHashesNameBothLines() throws {
        let yaml = Self.example
            .replacingOccurrences(of: "name: finance-reports", with: "name: billing-service")
            .replacingOccurrences(of: Self.financeHash, with: Self.billingHash)
        #expect(try Self.problems(yaml) == [
            "purser.yaml:8: auth.tokens[1].name: duplicate name 'billing-service': auth.tokens[0] on line 3 has it too",
            "purser.yaml:10: auth.tokens[1].sha256: duplicate sha256: two tokens with one secret: auth.tokens[0] on line 5 has it too",
        ])
    }

    @Test func collectsEveryProblemAndSkipsPlaceholders() throws {
        // The second token's name is unreadable; its hash repeats the first's; the first's role is bad.
        let yaml = Self.example
            .replacingOccurrences(of: "role: service", with: "role: superuser")
            .replacingOccurrences(of: "name: finance-reports", with: "name: [x]")
            .replacingOccurrences(of: Self.financeHash, with: Self.billingHash)
        #expect(try Self.problems(yaml) == [
            "purser.yaml:4: auth.tokens[0].role: expected one of service, finance, admin, got 'superuser'",
            "purser.yaml:8: auth.tokens[1].name: expected a string, got a list",
            "purser.yaml:10: auth.tokens[1].sha256: duplicate sha256: two tokens with one secret: auth.tokens[0] on line 5 has it too",
        ])
    }
}
