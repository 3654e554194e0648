import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The journal in the ledger file: a run started again with the same id, from a fresh
/// process's view of the file, replays what finished and never charges it twice.
@Suite("SQLiteLedger: journal")
struct JournalTests {
    @Test func aRunResumedFromTheFileReplaysFinishedStepsWithoutChargingThemAgain() async throws {
        let fixture = try LedgerFixture()
        let workflow = Workflow("resume") {
            ModelStep("draft", prompt: "Draft a reply").maxOutputTokens(64)
            ModelStep("polish", prompt: "Polish: {{steps.draft}}").maxOutputTokens(64)
        }
        let id = RunID("run_resume_1")
        // The first attempt: the draft succeeds, the polish fails for good.
        let failing = ScriptedProvider(
            name: "api", script: [ScriptedProvider.text("a draft", input: 10, output: 20), .fail(ProviderError(.invalidRequest, "no"))])
        let tier = Tier.scripted("t", provider: "api")
        let first = Engine(tiers: [tier], providers: [failing], ledger: fixture.ledger, journal: fixture.ledger)
        let failed = try await first.run(
            try first.compile(workflow), input: [:], options: RunOptions(runID: id, retry: .none, estimate: false))
        #expect(failed.status == .failed)
        let spentFirst = try fixture.ledger.totalSettled()
        #expect(spentFirst > .zero)

        // Another engine on the file opened again, as after a restart.
        let reopened = try fixture.reopen()
        #expect(try await reopened.entries(for: id).keys.sorted() == ["draft"])
        let answering = ScriptedProvider(name: "api", fallback: ScriptedProvider.text("polished", input: 10, output: 20))
        let second = Engine(tiers: [tier], providers: [answering], ledger: reopened, journal: reopened)
        let resumed = try await second.run(
            try second.compile(workflow), input: [:], options: RunOptions(runID: id, estimate: false))
        #expect(resumed.status == .succeeded)
        #expect(resumed.outputs == ["draft": "a draft", "polish": "polished"])
        #expect(resumed.records.first { $0.key == "draft" }?.status == .replayed)
        // Only the polish was called and charged this time.
        #expect(answering.callCount == 1)
        #expect(answering.requests.first?.messages.last?.content == "Polish: a draft")
        #expect(try reopened.totalSettled() == spentFirst + Tier.scripted("t").pricing.cost(
            of: TokenUsage(inputTokens: 10, outputTokens: 20)))
        #expect(try await reopened.entries(for: RunID("run_other")).isEmpty)
    }
}
