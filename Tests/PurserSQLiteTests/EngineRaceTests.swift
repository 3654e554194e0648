import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The guarantee end to end: a thousand runs race through the real engine on one cap, with
/// the simulator answering instantly; spend ends at or under the cap, and every reservation
/// is resolved exactly once.
@Suite("SQLiteLedger: 1,000 runs on one cap")
struct EngineRaceTests {
    @Test func aThousandRacingRunsNeverPassTheCap() async throws {
        let directory = try TemporaryDirectory(prefix: "purser-race")
        let ledger = try SQLiteLedger(path: directory.url.appendingPathComponent("purser.db").path)
        // About 60 µ per call worst case, a little less in fact: room for a few hundred runs
        // of two calls, so the cap is reached midway.
        let cap = Money(micros: 25_000)
        try ledger.setBudget(try Budget(scope: .global, period: .day, limit: cap, policy: .stop), actor: "test")
        let engine = Engine(
            providers: [SimulatedProvider(speed: .instant)], ledger: ledger, runStore: ledger)
        let graph = try engine.compile(
            Workflow("race") {
                ModelStep("classify", prompt: "Classify: {{input.text}}").needs(latency: .interactive).maxOutputTokens(64)
                ModelStep("reply", prompt: "Reply to: {{input.text}}").needs(latency: .interactive).maxOutputTokens(64)
            })

        let runs = 1_000
        let results = try await withThrowingTaskGroup(of: RunResult.self) { group in
            for index in 0..<runs {
                group.addTask {
                    try await engine.run(
                        graph, input: ["text": .string("ticket \(index)")], options: RunOptions(estimate: false))
                }
            }
            return try await group.reduce(into: [RunResult]()) { $0.append($1) }
        }

        let succeeded = results.filter { $0.status == .succeeded }
        let refused = results.filter { $0.error?.code == .budgetExceeded }
        #expect(results.count == runs)
        #expect(succeeded.count + refused.count == runs)
        #expect(!succeeded.isEmpty)
        #expect(!refused.isEmpty)  // the cap was reached

        let settled = try ledger.totalSettled()
        #expect(settled <= cap)
        #expect(settled == results.reduce(Money.zero) { $0 + $1.totals.cost })
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
        let status = try #require(try ledger.budgetStatuses().first)
        #expect(status.spent == settled)
        #expect(status.reserved == .zero)
        #expect(try await ledger.list(limit: 2 * runs).count == runs)
        let spend = try ledger.spend(by: .workflow, from: Date().addingTimeInterval(-3_600), to: Date().addingTimeInterval(60))
        #expect(spend.first?.successfulRuns == succeeded.count)
        #expect(spend.first?.cost == settled)
    }
}
