import Purser
import PurserConfig
import PurserHTTP
import PurserSQLite
import Workflows

/// Builds the engine the CLI runs: the tier catalog from `purser.yaml` (else the simulator's
/// tiers) and the built-in tools searching the bundled knowledge base, counting tokens exactly
/// with the o200k_base vocabulary, and knowing what earlier runs taught.
enum EngineFactory {
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
        var configuration = PurserConfiguration.default
        var source = "the built-in catalog"
        if let dataDirectory {
            let file = ConfigurationFile(directory: dataDirectory)
            configuration = try file.load()
            source = file.url.path
        }
        let tiers = try servableTiers(configuration, source: source, simulate: simulate)
        let counter: any TokenCounter = exactCounting ? try TokenCounting.standard() : ApproximateTokenCounter()
        var providers: [any ModelProvider] = [SimulatedProvider(speed: speed, tokenCounter: counter)]
        for name in Set(tiers.map(\.provider)) where name != SimulatorCatalog.providerName {
            guard let settings = configuration.provider(named: name) else { continue }
            providers.append(HTTPModelProvider(name: name, settings: settings.settings, tokenCounter: counter))
        }
        return Engine(
            tiers: tiers,
            providers: providers,
            tools: ExampleWorkflows.tools(),
            ledger: reservingThrough ?? ledger ?? InMemoryLedger(),
            journal: ledger ?? InMemoryJournal() as any Journal,
            runStore: ledger ?? InMemoryRunStore() as any RunStore,
            tokenCounter: counter,
            history: EstimateHistory(history))
    }

    /// The catalog's tiers if every tier's provider is the simulator or one `providers:` says
    /// how to reach (or `openai`/`anthropic`); with `simulate`, every tier moved to the simulator
    /// (same id, prices, latency, limits), so a real catalog can be tried for free.
    static func servableTiers(_ configuration: PurserConfiguration, source: String, simulate: Bool) throws(CLIFailure)
        -> [Tier]
    {
        let catalog = configuration.tierCatalog
        if simulate {
            return catalog.tiers.map { tier in
                var simulated = tier
                simulated.provider = SimulatorCatalog.providerName
                return simulated
            }
        }
        let unserved = catalog.tiers.filter {
            $0.provider != SimulatorCatalog.providerName && configuration.provider(named: $0.provider) == nil
        }
        guard unserved.isEmpty else {
            let names = unserved.prefix(5).map { "\($0.id) (\($0.provider))" }.joined(separator: ", ")
            let more = unserved.count > 5 ? " and \(unserved.count - 5) more" : ""
            throw CLIFailure(
                message: """
                    \(source) has tiers whose provider it does not say how to reach: \(names)\(more). \
                    Add the provider under providers: (api: openai or anthropic, api_key_env: the variable holding \
                    its key), or pass --simulate to serve every tier with the simulator at its own prices and latencies.
                    """,
                exitCode: ExitCodes.configuration)
        }
        let endpointless = catalog.tiers.filter { $0.provider != SimulatorCatalog.providerName && ($0.endpoint ?? "").isEmpty }
        guard endpointless.isEmpty else {
            throw CLIFailure(
                message: "\(source): tier \(endpointless[0].id) (\(endpointless[0].provider)) has no endpoint to call",
                exitCode: ExitCodes.configuration)
        }
        return catalog.tiers
    }
}

extension ProviderConfiguration {
    /// The HTTP provider's settings.
    var settings: ProviderSettings {
        ProviderSettings(
            api: ProviderAPI(rawValue: api) ?? .openAIChat, apiKeyVariable: apiKeyVariable, stream: stream,
            maxTokensField: maxTokensField, jsonMode: ProviderSettings.JSONMode(rawValue: jsonMode) ?? .jsonSchema)
    }
}
