import Foundation

/// One API token the server accepts, as `purser.yaml`'s `auth.tokens` lists it.
///
/// Only the SHA-256 of the secret is kept: a leaked configuration file (or a backup of it)
/// does not let anyone call the API. The secret is shown once, when `purser auth token create`
/// makes it, and can never be recovered; a lost token is revoked and replaced.
public struct APIToken: Sendable, Hashable {
    /// Unique among the tokens; names the caller in logs and in `purser auth token revoke`.
    public var name: String
    public var role: APIRole
    /// The token text's SHA-256, 64 lowercase hex digits (``APITokens/hash(_:)``).
    public var hash: String
    /// When the token was made (whole seconds: that is what the file keeps).
    public var created: Date

    public init(name: String, role: APIRole, hash: String, created: Date) {
        self.name = name
        self.role = role
        self.hash = hash
        self.created = created
    }

    /// The longest name accepted: names show in tables and log lines.
    public static let maximumNameLength = 64

    /// Why `name` cannot name a token, or `nil` when it can.
    ///
    /// Letters, digits, `.`, `_` and `-`, starting with a letter or digit: a name is typed on
    /// command lines and printed in logs, so it must need no quoting in either.
    public static func problem(withName name: String) -> String? {
        guard let first = name.unicodeScalars.first else { return "a token name must not be empty" }
        guard name.unicodeScalars.count <= maximumNameLength else {
            return "a token name must be at most \(maximumNameLength) characters, got \(name.unicodeScalars.count)"
        }
        guard name.unicodeScalars.allSatisfy(isNameCharacter), first != ".", first != "_", first != "-" else {
            return "'\(name)' is not a valid token name: use letters, digits, '.', '_' and '-', "
                + "starting with a letter or digit"
        }
        return nil
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }
}
