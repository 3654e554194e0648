/// How the CLI talks to a running server: `purser.yaml`'s `client:` section.
public struct ClientConfiguration: Sendable, Hashable {
    /// The secret the CLI sends as `Authorization: Bearer ...`. The environment variable
    /// `PURSER_TOKEN` takes precedence, so a secret need not sit in a file at all.
    public var token: String?

    public init(token: String? = nil) {
        self.token = token
    }

    /// No token: the CLI falls back to the server's `admin.token`, if any.
    public static let `default` = ClientConfiguration()
}
