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

    /// A step's charge and its journal entry are one transaction: both, or neither.
    @Test func aStepIsChargedAndJournaledTogetherOrNotAtAll() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        let id = RunID("run_together")
        let hold = try await ledger.reserve(request(run: id.rawValue, step: "draft", amount: 500))
        let record = StepRecord(key: "draft", stepID: "draft", kind: .model, status: .succeeded, startedAt: Date())
        let entry = JournalEntry(runID: id, record: record, output: ["text": "a draft", "toolCalls": []])
        try await ledger.settle(
            hold, usage: TokenUsage(inputTokens: 10, outputTokens: 20), cost: Money(micros: 120), journaling: entry,
            in: ledger)
        #expect(try await ledger.entries(for: id)["draft"] == entry)
        #expect(try ledger.totalSettled() == Money(micros: 120))
        #expect(try ledger.openReservations().isEmpty)

        // Settling the same reservation again is refused, and its journal entry is not written.
        var again = entry
        again.record.key = "draft-again"
        await #expect(throws: LedgerError.self) {
            try await ledger.settle(
                hold, usage: TokenUsage(inputTokens: 1), cost: Money(micros: 1), journaling: again, in: ledger)
        }
        #expect(try await ledger.entries(for: id).keys.sorted() == ["draft"])
        #expect(try ledger.totalSettled() == Money(micros: 120))

        // A journal elsewhere (not this file) gets its entry after the settle.
        let other = InMemoryJournal()
        let second = try await ledger.reserve(request(run: id.rawValue, step: "polish", amount: 500))
        var polish = entry
        polish.record.key = "polish"
        try await ledger.settle(
            second, usage: TokenUsage(inputTokens: 5), cost: Money(micros: 5), journaling: polish, in: other)
        #expect(await other.entries(for: id).keys.sorted() == ["polish"])
        #expect(try await ledger.entries(for: id).keys.sorted() == ["draft"])
        #expect(try ledger.totalSettled() == Money(micros: 125))
    }
}
