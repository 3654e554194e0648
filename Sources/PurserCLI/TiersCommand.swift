import ArgumentParser
import Purser
import PurserConfig

/// `purser tiers`: the tier catalog in use, and the tools that make one.
struct TiersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiers",
        abstract: "List the tier catalog, check purser.yaml, or import tiers from a price list.",
        discussion: """
            The catalog is the `tiers:` section of purser.yaml in the data directory; without one, \
            the built-in simulator tiers. Amounts are dollars per million tokens.
            """,
        subcommands: [TiersListCommand.self, TiersCheckCommand.self, TiersImportCommand.self],
        defaultSubcommand: TiersListCommand.self
    )
}

/// `purser tiers [list]`: the catalog in use as a table.
struct TiersListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "Print the tier catalog in use (purser.yaml's tiers, else the built-in simulator tiers)."
    )

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document (the list of tiers) instead of text.")
    var json = false

    func run() throws {
        do {
            let file = ConfigurationFile(directory: global.dataDirectory)
            let configuration = try file.load()
            Terminal.standardError.write("catalog: \(file.describeCatalog(configuration))\n")
            let tiers = configuration.tierCatalog.tiers
            Terminal.standardOutput.write(json ? TierTable.json(tiers).prettyJSON + "\n" : TierTable.render(tiers))
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser tiers check`: validates purser.yaml without running anything.
struct TiersCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate purser.yaml and report every problem with its line.",
        discussion: "Prints `ok: N tiers` and exits 0, or lists every problem and exits 78."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        do {
            let file = ConfigurationFile(directory: global.dataDirectory)
            let configuration = try file.load()
            guard let declared = configuration.declaredTiers else {
                let reason = file.exists ? "declares no tiers" : "does not exist"
                Terminal.standardOutput.write(
                    "ok: \(TierCatalog.builtIn.tiers.count) tiers (\(file.url.path) \(reason); "
                        + "using the built-in simulator tiers)\n")
                return
            }
            Terminal.standardOutput.write("ok: \(declared.tiers.count) tier\(declared.tiers.count == 1 ? "" : "s")\n")
            let unserved = Set(declared.tiers.map(\.provider)).filter {
                $0 != SimulatorCatalog.providerName && configuration.provider(named: $0) == nil
            }
            if !unserved.isEmpty {
                Terminal.standardError.write(
                    "note: providers: does not say how to reach "
                        + "\(unserved.sorted().joined(separator: ", ")); run and estimate need an entry for "
                        + "\(unserved.count == 1 ? "it" : "each") (api, api_key_env) or --simulate\n")
            }
        } catch {
            Self.exit(with: error)
        }
    }
}
