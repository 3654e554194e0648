/// Remembers each finished step of a run, so a run resumed after a restart skips the
/// steps that already ran and never charges them twice.
///
/// ## Usage
///
/// ```swift
/// let journal = InMemoryJournal()
/// let engine = Engine(journal: journal)
/// let id = RunID("run_nightly_2026_11_29")
/// _ = try await engine.run(graph, input: input, options: RunOptions(runID: id))   // fails half-way
/// // Later, the same id: journaled calls are replayed, not called or charged again.
/// _ = try await engine.run(graph, input: input, options: RunOptions(runID: id))
/// ```
public protocol Journal: Sendable {
    func record(_ entry: JournalEntry) async throws
    /// The finished steps of a run, by step key.
    func entries(for runID: RunID) async throws -> [String: JournalEntry]
}

/// A finished step: its record and its output.
public struct JournalEntry: Sendable, Hashable, Codable {
    public var runID: RunID
    public var record: StepRecord
    public var output: JSONValue

    public init(runID: RunID, record: StepRecord, output: JSONValue) {
        self.runID = runID
        self.record = record
        self.output = output
    }
}

/// A journal in memory: enough for one process, lost when it exits.
public actor InMemoryJournal: Journal {
    private var runs: [RunID: [String: JournalEntry]] = [:]

    public init() {}

    public func record(_ entry: JournalEntry) {
        runs[entry.runID, default: [:]][entry.record.key] = entry
    }

    public func entries(for runID: RunID) -> [String: JournalEntry] {
        runs[runID] ?? [:]
    }
}
