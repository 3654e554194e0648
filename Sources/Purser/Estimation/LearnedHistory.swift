import Foundation

/// What Purser has learned from finished runs, per workflow and step path: output and
/// reasoning tokens per tier, tool result sizes, for-each counts, loop iterations, branch
/// frequencies, and every run's estimate beside its actuals (calibration).
///
/// A `Codable` value, so a process can keep it in a file; ``EstimateHistory`` shares it
/// between concurrent runs.
public struct LearnedHistory: Sendable, Hashable, Codable {
    /// Visible output tokens, by ``key(_:_:tier:)``.
    public var outputTokens: [String: ObservationWindow] = [:]
    /// Reasoning tokens, by ``key(_:_:tier:)``.
    public var reasoningTokens: [String: ObservationWindow] = [:]
    /// Tool result tokens, by ``key(_:_:tier:)`` without a tier; agent-loop tools under `LOOP/*tools`.
    public var toolResultTokens: [String: ObservationWindow] = [:]
    public var forEachCounts: [String: ObservationWindow] = [:]
    public var loopIterations: [String: ObservationWindow] = [:]
    /// 1 for "then", 0 for "otherwise".
    public var branchesTaken: [String: ObservationWindow] = [:]
    public var calibration: [CalibrationRecord] = []
    /// Calibration records kept per workflow (oldest dropped first).
    public static let calibrationLimit = 1000

    public init() {}

    public static func key(_ workflow: String, _ path: String, tier: String? = nil) -> String {
        tier.map { "\(workflow)/\(path)@\($0)" } ?? "\(workflow)/\(path)"
    }

    /// Learns from a finished run: every call it made and the shape it took, and, when the run
    /// was estimated, how good the estimate was.
    public mutating func learn(from result: RunResult) {
        let workflow = result.workflow
        for record in result.records where record.status == .succeeded {
            let path = StepPath.of(key: record.key)
            if let tier = record.tierID {
                let key = Self.key(workflow, path, tier: tier)
                outputTokens[key, default: ObservationWindow()].add(record.usage.outputTokens - record.usage.reasoningTokens)
                reasoningTokens[key, default: ObservationWindow()].add(record.usage.reasoningTokens)
            } else if let tokens = record.resultTokens {
                toolResultTokens[Self.key(workflow, path), default: ObservationWindow()].add(tokens)
                // A tool an agent loop called: its key's parent is a loop iteration (`research#2/...`).
                let segments = record.key.split(separator: "/")
                if segments.count >= 2, segments[segments.count - 2].contains("#") {
                    let loopPath = path.split(separator: "/").dropLast().joined(separator: "/")
                    toolResultTokens[Self.key(workflow, loopPath + "/*tools"), default: ObservationWindow()].add(tokens)
                }
            }
        }
        for (key, counts) in result.observations.forEachCounts {
            for count in counts { forEachCounts[Self.key(workflow, StepPath.of(key: key)), default: ObservationWindow()].add(count) }
        }
        for (key, iterations) in result.observations.loopIterations {
            for count in iterations {
                loopIterations[Self.key(workflow, StepPath.of(key: key)), default: ObservationWindow()].add(count)
            }
        }
        for (key, taken) in result.observations.branchesTaken {
            for then in taken {
                branchesTaken[Self.key(workflow, StepPath.of(key: key)), default: ObservationWindow()].add(then ? 1 : 0)
            }
        }
        if let estimate = result.estimate, result.status == .succeeded {
            calibration.append(
                CalibrationRecord(
                    workflow: workflow, runID: result.id, expectedCost: estimate.cost.expected,
                    p50Cost: estimate.cost.p50, p95Cost: estimate.cost.p95, worstCaseCost: estimate.cost.worst,
                    actualCost: result.totals.cost, expectedTokens: estimate.totalTokens.expected,
                    actualTokens: result.totals.usage.totalTokens))
            if calibration.count > Self.calibrationLimit, calibrationCount(of: workflow) > Self.calibrationLimit,
                let oldest = calibration.firstIndex(where: { $0.workflow == workflow })
            {
                calibration.remove(at: oldest)
            }
        }
    }
}

extension LearnedHistory {
    /// How many calibration records `workflow` has. Read field by field: a filter over the
    /// records copies each one whole (retaining its strings), and a busy server counts a
    /// thousand after every run once a workflow has its full share.
    private func calibrationCount(of workflow: String) -> Int {
        var count = 0
        for index in calibration.indices where calibration[index].workflow == workflow { count += 1 }
        return count
    }
}

/// Keeps a ``LearnedHistory`` for concurrent runs: they read a snapshot when they are
/// estimated and add what they learned when they finish.
public actor EstimateHistory {
    private var history: LearnedHistory

    public init(_ history: LearnedHistory = LearnedHistory()) {
        self.history = history
    }

    /// How many runs it has learned from since it was made: a saver compares it with the
    /// count at its last save to skip saving what has not changed.
    public private(set) var lessons = 0

    public var snapshot: LearnedHistory { history }

    /// What an estimate reads: the history without its calibration records. An estimate never
    /// reads them, and a snapshot that shared them would make the next run's ``learn(from:)``
    /// copy every record (up to a thousand per workflow) before adding its own.
    var estimationSnapshot: LearnedHistory {
        var copy = history
        copy.calibration = []
        return copy
    }

    /// The history with ``lessons`` at the same moment.
    public var countedSnapshot: (history: LearnedHistory, lessons: Int) { (history, lessons) }

    public func learn(from result: RunResult) {
        history.learn(from: result)
        lessons += 1
    }
}
