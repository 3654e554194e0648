import Purser

/// Everything `purser.yaml` configures, with the defaults that apply when it says nothing.
///
/// One section per top-level key; today only `tiers:`. Later sections (`budgets:`,
/// `server:`) add a property here and a ``ConfigurationSection`` that reads it.
public struct PurserConfiguration: Sendable, Hashable {
    /// The tiers the file declares; `nil` when it has no `tiers:` key.
    public var declaredTiers: TierCatalog?

    public init(declaredTiers: TierCatalog? = nil) {
        self.declaredTiers = declaredTiers
    }

    /// The catalog in use: the declared one, else the built-in simulator tiers.
    public var tierCatalog: TierCatalog { declaredTiers ?? .builtIn }

    /// The configuration with no file at all.
    public static let `default` = PurserConfiguration()
}
