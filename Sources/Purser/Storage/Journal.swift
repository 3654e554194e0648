/// Remembers each finished step of a run, so a run resumed after a restart skips the
/// steps that already ran and never charges them twice.
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
