import Purser
import Workflows

/// Builds the engine the CLI runs: the embedded default, which is the simulator's tiers
/// and the built-in tools searching the bundled knowledge base, counting tokens exactly with
/// the o200k_base vocabulary, and knowing what earlier runs taught.
enum EngineFactory {
    /// - Parameter exactCounting: false for commands that never count tokens (listing
    ///   workflows), which then skip loading the vocabulary.
    static func makeEngine(
        speed: SimulatedProvider.Speed, history: LearnedHistory = LearnedHistory(), exactCounting: Bool = true
    ) throws(CLIFailure) -> Engine {
        let counter: any TokenCounter = exactCounting ? try TokenCounting.standard() : ApproximateTokenCounter()
        return Engine(
            tiers: SimulatorCatalog.tiers,
            providers: [SimulatedProvider(speed: speed, tokenCounter: counter)],
            tools: ExampleWorkflows.tools(),
            tokenCounter: counter,
            history: EstimateHistory(history))
    }
}
