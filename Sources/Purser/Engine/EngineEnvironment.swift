/// The engine's wiring, fixed when the engine is made and shared by every run.
struct EngineEnvironment: Sendable {
    let selector: TierSelector
    let providers: [String: any ModelProvider]
    let tools: ToolRegistry
    let ledger: any Ledger
    let journal: any Journal
    let runStore: any RunStore
    let clock: any PurserClock
    let tokenCounter: any TokenCounter
    let history: EstimateHistory
}
