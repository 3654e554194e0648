/// The engine's wiring, fixed when the engine is made and shared by every run.
struct EngineEnvironment: Sendable {
    let router: Router
    /// Learned latency, circuit breakers and in-flight calls per tier, shared by all runs.
    let monitor: TierMonitor
    let providers: [String: any ModelProvider]
    let tools: ToolRegistry
    let ledger: any Ledger
    let journal: any Journal
    let runStore: any RunStore
    let clock: any PurserClock
    let tokenCounter: any TokenCounter
    let history: EstimateHistory
}
