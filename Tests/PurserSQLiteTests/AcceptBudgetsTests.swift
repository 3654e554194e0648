import Foundation
import Purser
import Testing

@testable import PurserSQLite

/// A run the server accepts and starts at once comes back with its budgets, read in the
/// transaction that stored it, for the engine's admission (`RunOptions.budgets`).
@Suite("Accepting a run with its budgets")
struct AcceptBudgetsTests {
    static func accepted(_ id: String, workflow: String, tags: [String: String], key: String? = nil) -> (Submission, RunSummary) {
        let submission = Submission(
            id: RunID(id), idempotencyKey: key, workflow: workflow, request: ["input": [:]], submittedAt: Date())
        let summary = RunSummary(
            id: RunID(id), workflow: workflow, status: .running, input: [:], tags: tags, startedAt: Date(), endedAt: nil,
            totals: RunTotals(), output: nil, error: nil)
        return (submission, summary)
    }

    @Test func theBudgetsReadWithTheRunAreThoseTheLedgerGivesForIt() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .day, limit: 1_000_000), actor: "finance")
        try ledger.setBudget(try budget(.workflow("triage"), .month, limit: 500_000, tokens: 90_000), actor: "finance")
        try ledger.setBudget(try budget(.tag(key: "team", value: "support"), .day, limit: 300_000), actor: "finance")
        try ledger.setBudget(try budget(.workflow("other"), .day, limit: 700_000), actor: "finance")
        try ledger.setBudget(try budget(.run, .run, limit: 50_000), actor: "finance")
        // Money spent and held already, so the figures are not all zero.
        let held = try await ledger.reserve(request(run: "run_earlier", amount: 40_000, tokens: 1_000))
        try await ledger.settle(held, usage: TokenUsage(inputTokens: 500, outputTokens: 300), cost: Money(micros: 25_000))
        _ = try await ledger.reserve(request(run: "run_earlier", tags: ["team": "support"], amount: 10_000, tokens: 200))

        let (submission, summary) = Self.accepted("run_new", workflow: "triage", tags: ["team": "support"])
        let stored = try await ledger.accept(submission, queued: summary, readsBudgets: true)
        #expect(stored.created)
        let read = try await ledger.budgets(forRun: RunID("run_new"), workflow: "triage", tags: ["team": "support"])
        #expect(read.count == 4)
        #expect(stored.budgets == read)

        // Not asked, nothing read; a repeated idempotency key stores nothing and reads nothing.
        let (plain, plainSummary) = Self.accepted("run_plain", workflow: "triage", tags: [:], key: "k")
        #expect(try await ledger.accept(plain, queued: plainSummary).budgets == nil)
        let (again, againSummary) = Self.accepted("run_again", workflow: "triage", tags: [:], key: "k")
        let repeated = try await ledger.accept(again, queued: againSummary, readsBudgets: true)
        #expect(!repeated.created)
        #expect(repeated.submission.id == RunID("run_plain"))
        #expect(repeated.budgets == nil)
    }
}
