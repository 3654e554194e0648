import Purser
import Workflows

/// Builds the engine the CLI runs: the embedded default, which is the simulator's tiers
/// and the built-in tools searching the bundled knowledge base, counting tokens exactly with
/// the o200k_base vocabulary, and knowing what earlier runs taught.
enum EngineFactory {
    static func makeEngine(
        speed: SimulatedProvider.Speed, history: LearnedHistory = LearnedHistory()
    ) throws(CLIFailure) -> Engine {
        let counter = try TokenCounting.standard()
        return Engine(
            tiers: SimulatorCatalog.tiers,
            providers: [SimulatedProvider(speed: speed, tokenCounter: counter)],
            tools: ExampleWorkflows.tools(),
            tokenCounter: counter,
            history: EstimateHistory(history))
    }
}
