/// The API tokens the server accepts: `purser.yaml`'s `auth:` section.
///
/// Names and hashes are unique (``init(tokens:)`` checks), so a bearer secret identifies
/// exactly one token, and a name identifies exactly one token to revoke.
public struct AuthConfiguration: Sendable, Hashable {
    /// In the order the file lists them.
    public let tokens: [APIToken]
    /// Position in ``tokens`` by hash: the server looks a token up on every request.
    private let indexByHash: [String: Int]

    /// No tokens: the server then makes an admin token of its own at start.
    public static let empty = AuthConfiguration(validated: [])

    public init(tokens: [APIToken]) throws(AuthConfigurationError) {
        let problems = Self.problems(in: tokens)
        guard problems.isEmpty else { throw AuthConfigurationError(problems: problems) }
        self.init(validated: tokens)
    }

    private init(validated tokens: [APIToken]) {
        self.tokens = tokens
        var index: [String: Int] = [:]
        for (position, token) in tokens.enumerated() { index[token.hash] = position }
        indexByHash = index
    }

    /// The token whose secret is `secret` (what follows `Bearer ` in a request), if any.
    ///
    /// The lookup is by the secret's hash: how long it takes can say something about stored
    /// hashes, which does not help anyone find a secret.
    public func token(forBearer secret: String) -> APIToken? {
        indexByHash[APITokens.hash(secret)].map { tokens[$0] }
    }

    /// The token called `name`, if any.
    public func token(named name: String) -> APIToken? {
        tokens.first { $0.name == name }
    }

    public static func == (lhs: AuthConfiguration, rhs: AuthConfiguration) -> Bool {
        lhs.tokens == rhs.tokens
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tokens)
    }

    /// Every problem in `tokens`, in token order; empty when they are a valid configuration.
    public static func problems(in tokens: [APIToken]) -> [AuthConfigurationError.Problem] {
        var problems: [AuthConfigurationError.Problem] = []
        var firstByName: [String: Int] = [:]
        var firstByHash: [String: Int] = [:]
        for (index, token) in tokens.enumerated() {
            func fail(_ field: String, _ message: String, duplicateOf: Int? = nil) {
                problems.append(
                    .init(
                        tokenIndex: index, tokenName: token.name, field: field, message: message,
                        duplicateOf: duplicateOf))
            }
            if let problem = APIToken.problem(withName: token.name) {
                fail("name", problem)
            } else if let first = firstByName[token.name] {
                fail("name", "duplicate name '\(token.name)'", duplicateOf: first)
            } else {
                firstByName[token.name] = index
            }
            if !APITokens.isHash(token.hash) {
                fail(
                    "sha256",
                    "expected the token's SHA-256 as 64 lowercase hex digits, got '\(token.hash)' "
                        + "(\(token.hash.count) characters)")
            } else if let first = firstByHash[token.hash] {
                // One secret under two names would make the caller (and its role) ambiguous.
                fail("sha256", "duplicate sha256: two tokens with one secret", duplicateOf: first)
            } else {
                firstByHash[token.hash] = index
            }
        }
        return problems
    }
}
