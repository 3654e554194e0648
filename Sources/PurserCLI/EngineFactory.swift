import Purser
import Workflows

/// Builds the engine the CLI runs: the embedded default, which is the simulator's tiers
/// and the built-in tools searching the bundled knowledge base.
enum EngineFactory {
    static func makeEngine(speed: SimulatedProvider.Speed) -> Engine {
        Engine(
            tiers: SimulatorCatalog.tiers,
            providers: [SimulatedProvider(speed: speed)],
            tools: ExampleWorkflows.tools())
    }
}
