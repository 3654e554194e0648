import Foundation
import Testing

@testable import Purser

/// What a history keeps of finished runs' estimates, and what estimates read of it.
@Suite("Learned history")
struct LearnedHistoryTests {
    let estimate: RunEstimate

    init() throws {
        let graph = try WorkflowGraph(compiling: Workflow("w") { ModelStep("a", prompt: "Say hi") })
        estimate = try Estimator(router: Router(tiers: [Tier.scripted()])).estimate(graph, input: [:])
    }

    func run(_ workflow: String, _ number: Int) -> RunResult {
        RunResult(
            id: RunID("run_\(workflow)_\(number)"), workflow: workflow, status: .succeeded, estimate: estimate)
    }

    @Test func eachWorkflowKeepsItsNewestCalibrationRecordsUpToTheLimit() {
        var history = LearnedHistory()
        let limit = LearnedHistory.calibrationLimit
        for number in 0..<5 { history.learn(from: run("b", number)) }
        for number in 0..<(limit + 3) { history.learn(from: run("a", number)) }
        let a = history.calibration.filter { $0.workflow == "a" }.map(\.runID.rawValue)
        #expect(a.count == limit)
        #expect(a.first == "run_a_3")
        #expect(a.last == "run_a_\(limit + 2)")
        // Another workflow's records are not trimmed for this one's.
        #expect(history.calibration.filter { $0.workflow == "b" }.count == 5)
    }

    @Test func estimatesReadTheHistoryWithoutItsCalibrationRecords() async {
        let shared = EstimateHistory()
        for number in 0..<3 { await shared.learn(from: run("a", number)) }
        let full = await shared.snapshot
        let forEstimates = await shared.estimationSnapshot
        #expect(full.calibration.count == 3)
        #expect(forEstimates.calibration.isEmpty)
        var withoutCalibration = full
        withoutCalibration.calibration = []
        #expect(forEstimates == withoutCalibration)
    }
}
