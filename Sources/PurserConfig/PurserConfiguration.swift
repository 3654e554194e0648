import Purser

/// Everything `purser.yaml` configures, with the defaults that apply when it says nothing.
///
/// One property per top-level key, each read by a ``ConfigurationSection`` of its own.
public struct PurserConfiguration: Sendable, Hashable {
    /// The tiers the file declares; `nil` when it has no `tiers:` key.
    public var declaredTiers: TierCatalog?
    /// `auth:`, the API tokens the server accepts; none when the file has no such key.
    public var auth: AuthConfiguration
    /// `server:`, how `purser serve` listens and its limits.
    public var server: ServerConfiguration
    /// `client:`, how the CLI talks to a server.
    public var client: ClientConfiguration
    /// `providers:`, how each named provider is reached (beyond the well-known public APIs in
    /// ``ProviderConfiguration/wellKnown``, which need no entry).
    public var providers: [String: ProviderConfiguration]

    public init(
        declaredTiers: TierCatalog? = nil, auth: AuthConfiguration = .empty, server: ServerConfiguration = .default,
        client: ClientConfiguration = .default, providers: [String: ProviderConfiguration] = [:]
    ) {
        self.declaredTiers = declaredTiers
        self.auth = auth
        self.server = server
        self.client = client
        self.providers = providers
    }

    /// How `name` is reached: its `providers:` entry, else the well-known meaning of the name.
    public func provider(named name: String) -> ProviderConfiguration? {
        providers[name] ?? ProviderConfiguration.wellKnown[name]
    }

    /// The catalog in use: the declared one, else the built-in simulator tiers.
    public var tierCatalog: TierCatalog { declaredTiers ?? .builtIn }

    /// The configuration with no file at all.
    public static let `default` = PurserConfiguration()
}
