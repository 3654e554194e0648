import Yams

/// One top-level key of `purser.yaml` and how to read it into the configuration.
///
/// Adding a section (`budgets:`) means one more of these, in its own file, and an
/// entry in ``all``; the loader rejects keys no section claims, so typos are caught.
struct ConfigurationSection: Sendable {
    let key: String
    let read: @Sendable (_ node: YAMLNode, _ path: ConfigKeyPath, _ reader: inout YAMLReader,
        _ configuration: inout PurserConfiguration) -> Void

    /// Every section, in the order they are documented.
    static let all: [ConfigurationSection] = [.tiers, .providers, .server, .client, .auth]
}
