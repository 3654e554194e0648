import Foundation
import Purser
@testable import PurserServer
import PurserTestKit
import Testing
import Workflows

/// A run's document writes its own JSON (``RunView``'s fast path); it must write, byte for
/// byte, what its `Encodable` conformance writes through the same encoder.
@Suite("Run documents")
struct RunViewJSONTests {
    static func expectBothWaysEqual(_ view: RunView, _ label: String) throws {
        for (strategy, fast, codable) in try jsonWithAndWithoutFastPaths(view) {
            #expect(fast == codable, "\(label), \(strategy)")
        }
    }

    @Test func aDocumentWritesWhatItsCodableConformanceWrites() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: ExampleWorkflows.tools())
        let workflow = ExampleWorkflows.executiveBrief
        let result = try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
        #expect(result.status == .succeeded)
        #expect(result.estimate != nil)
        #expect(!result.records.isEmpty)
        let now = Date(timeIntervalSince1970: 1_796_023_176.439)
        let ended = RunView(
            result: result, tags: ["team": "support", "tier": "gold \"quoted\""], idempotencyKey: "key-1",
            submittedAt: now, startedAt: now, endedAt: now.addingTimeInterval(0.25))
        try Self.expectBothWaysEqual(ended, "a finished run")

        var failed = result
        failed.status = .failed
        failed.output = nil
        failed.estimate = nil
        failed.error = PurserError(.budgetExceeded, "no room left", stepKey: "brief")
        let failure = RunView(
            result: failed, tags: [:], idempotencyKey: nil, submittedAt: now, startedAt: nil, endedAt: now)
        try Self.expectBothWaysEqual(failure, "a failed run")

        let stored = RunView(
            summary: RunSummary(
                id: result.id, workflow: result.workflow, status: .running, input: workflow.exampleInput, tags: [:],
                startedAt: now),
            steps: [])
        try Self.expectBothWaysEqual(stored, "a run known from its summary")
    }
}
