/// Keeps runs: their status while they run and their result when they end.
///
/// ## Usage
///
/// ```swift
/// let runs = InMemoryRunStore()
/// let engine = Engine(runStore: runs)
/// let handle = try await engine.start(graph, input: input)
/// print(try await runs.run(handle.id)?.status as Any)   // .running, then the final status
/// ```
public protocol RunStore: Sendable {
    func save(_ run: RunSummary) async throws
    func run(_ id: RunID) async throws -> RunSummary?
    /// Runs, newest first.
    func list(limit: Int) async throws -> [RunSummary]
}

/// A run store in memory.
public actor InMemoryRunStore: RunStore {
    private var runs: [RunID: RunSummary] = [:]
    private var order: [RunID] = []

    public init() {}

    public func save(_ run: RunSummary) {
        if runs.updateValue(run, forKey: run.id) == nil { order.append(run.id) }
    }

    public func run(_ id: RunID) -> RunSummary? { runs[id] }

    public func list(limit: Int) -> [RunSummary] {
        order.reversed().prefix(max(limit, 0)).compactMap { runs[$0] }
    }
}
