import Purser
import PurserConfig
import PurserSQLite
import Workflows

/// Builds the engine the CLI runs: the tier catalog from `purser.yaml` (else the simulator's
/// tiers) and the built-in tools searching the bundled knowledge base, counting tokens exactly
/// with the o200k_base vocabulary, and knowing what earlier runs taught.
enum EngineFactory {
    /// The providers this build can call. Real HTTP providers (`openai`, `anthropic`) come later;
    /// until then `--simulate` serves any catalog with the simulator.
    static let implementedProviders: Set<String> = [SimulatorCatalog.providerName]

    /// - Parameters:
    ///   - exactCounting: false for commands that never count tokens (listing workflows), which
    ///     then skip loading the vocabulary.
    ///   - dataDirectory: where `purser.yaml` is; `nil` for the built-in catalog.
    ///   - simulate: serve every tier with the simulator, at its own prices and latencies.
    ///   - ledger: where calls reserve and settle, and runs and their journals are stored (the
    ///     data directory's `purser.db` for `run`); `nil` for an in-memory ledger with no caps.
    ///   - reservingThrough: a ledger in front of `ledger` that calls reserve through instead
    ///     (the server's per-run caps).
    static func makeEngine(
        speed: SimulatedProvider.Speed, history: LearnedHistory = LearnedHistory(), exactCounting: Bool = true,
        dataDirectory: DataDirectory? = nil, simulate: Bool = false, ledger: SQLiteLedger? = nil,
        reservingThrough: (any Ledger)? = nil
    ) throws(CLIFailure) -> Engine {
        var catalog = TierCatalog.builtIn
        var source = "the built-in catalog"
        if let dataDirectory {
            let file = ConfigurationFile(directory: dataDirectory)
            catalog = try file.load().tierCatalog
            source = file.url.path
        }
        let tiers = try servableTiers(catalog, source: source, simulate: simulate)
        let counter: any TokenCounter = exactCounting ? try TokenCounting.standard() : ApproximateTokenCounter()
        return Engine(
            tiers: tiers,
            providers: [SimulatedProvider(speed: speed, tokenCounter: counter)],
            tools: ExampleWorkflows.tools(),
            ledger: reservingThrough ?? ledger ?? InMemoryLedger(),
            journal: ledger ?? InMemoryJournal() as any Journal,
            runStore: ledger ?? InMemoryRunStore() as any RunStore,
            tokenCounter: counter,
            history: EstimateHistory(history))
    }

    /// The catalog's tiers if this build can call them all; with `simulate`, every tier moved
    /// to the simulator (same id, prices, latency, limits), so a real catalog can be tried for free.
    static func servableTiers(_ catalog: TierCatalog, source: String, simulate: Bool) throws(CLIFailure) -> [Tier] {
        if simulate {
            return catalog.tiers.map { tier in
                var simulated = tier
                simulated.provider = SimulatorCatalog.providerName
                return simulated
            }
        }
        let unserved = catalog.tiers.filter { !implementedProviders.contains($0.provider) }
        guard unserved.isEmpty else {
            let names = unserved.prefix(5).map { "\($0.id) (\($0.provider))" }.joined(separator: ", ")
            let more = unserved.count > 5 ? " and \(unserved.count - 5) more" : ""
            throw CLIFailure(
                message: """
                    \(source) has tiers whose provider this build cannot call yet: \(names)\(more). \
                    Only the simulator is built in so far; pass --simulate to serve every tier with the simulator \
                    at its own prices and latencies.
                    """,
                exitCode: ExitCodes.configuration)
        }
        return catalog.tiers
    }
}
