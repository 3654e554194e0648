import Purser

/// Live progress on a terminal: calls done of those known, tokens and cost so far.
/// Rewrites one line on standard error; prints nothing when nobody is watching.
struct ProgressReporter {
    private var planned = 0
    private var done = 0
    private var tokens = 0
    private var cost = Money.zero
    private var lastStep = ""
    let terminal: Terminal
    let enabled: Bool
    /// Whether to log the run's start (a line, even when nobody watches the progress).
    let announce: Bool

    init(terminal: Terminal = .standardError, enabled: Bool, announce: Bool) {
        self.terminal = terminal
        self.enabled = enabled
        self.announce = announce
    }

    mutating func handle(_ event: RunEvent) {
        switch event {
        case .runStarted(let runID, let workflow):
            if announce { terminal.write("running \(workflow) as \(runID)\n") }
            return
        case .callsPlanned(let total):
            planned = total
        case .stepStarted(let key, _, let tierID):
            lastStep = tierID.map { "\(key) → \($0)" } ?? key
        case .stepRetrying(let key, let attempt, let error, let delay):
            if enabled {
                terminal.write("\r\u{1B}[K")
                terminal.write("retrying \(key) after attempt \(attempt) in \(RunReport.seconds(delay)): \(error.message)\n")
            }
        case .stepRerouted(let key, let from, let toTierID):
            lastStep = "\(key) → \(toTierID)"
            if enabled {
                terminal.write("\r\u{1B}[K")
                terminal.write("\(key): \(from.tierID) \(from.reason.rawValue) (\(from.detail)); trying \(toTierID)\n")
            }
        case .budgetAlert(let alert):
            if announce { terminal.write("\r\u{1B}[K" + "budget alert: \(alert.message)\n") }
        case .runPaused(let key, _, let reason):
            if announce { terminal.write("\r\u{1B}[K" + "paused at \(key): \(reason); waiting for the cap to be raised\n") }
        case .runResumed(let key):
            if announce { terminal.write("\r\u{1B}[K" + "resumed at \(key)\n") }
        case .stepFinished(let record):
            done += 1
            tokens += record.usage.totalTokens
            cost += record.cost
        case .runFinished:
            if enabled { terminal.write("\r\u{1B}[K") }
            return
        }
        guard enabled else { return }
        let line = "[\(done)/\(max(planned, done)) calls] \(RunReport.grouped(tokens)) tokens · cost \(cost) · \(lastStep)"
        terminal.write("\r\u{1B}[K" + String(line.prefix(160)))
    }
}
