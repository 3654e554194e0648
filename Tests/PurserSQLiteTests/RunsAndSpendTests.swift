import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The ledger as the engine's run store, and spend reports by workflow, tag, tier and day
/// with cost per run and per successful run.
@Suite("SQLiteLedger: runs and spend reports")
struct RunsAndSpendTests {
    /// Two successful triage runs on day one (200 µ each: 100 in at $1/M, 50 out at $2/M),
    /// then after midnight a report run whose second call fails after its first was charged.
    static func runWorkflows(_ fixture: LedgerFixture) async throws -> [RunResult] {
        let provider = ScriptedProvider(script: [
            ScriptedProvider.text("a", input: 100, output: 50),
            ScriptedProvider.text("b", input: 100, output: 50),
            ScriptedProvider.text("c", input: 100, output: 50),
            .fail(ProviderError(.authentication, "bad key")),
        ])
        let engine = Engine(
            tiers: [Tier.scripted()], providers: [provider], ledger: fixture.ledger, runStore: fixture.ledger,
            clock: fixture.clock)
        let triage = try engine.compile(Workflow("triage") { ModelStep("classify", prompt: "x").maxOutputTokens(100) })
        let report = try engine.compile(
            Workflow("report") {
                ModelStep("draft", prompt: "x").maxOutputTokens(100)
                ModelStep("polish", prompt: "y").maxOutputTokens(100)
            })
        var results: [RunResult] = []
        for _ in 0..<2 {
            results.append(
                try await engine.run(
                    triage, input: [:], options: RunOptions(tags: ["team": "support", "env": "prod"], estimate: false)))
        }
        fixture.clock.advance(by: .seconds(3600))
        results.append(
            try await engine.run(
                report, input: [:], options: RunOptions(tags: ["team": "sales", "env": "prod"], estimate: false)))
        return results
    }

    @Test func theEngineStoresItsRunsInTheLedgerFile() async throws {
        let fixture = try LedgerFixture()
        let results = try await Self.runWorkflows(fixture)
        #expect(results.map(\.status) == [.succeeded, .succeeded, .failed])
        let listed = try await fixture.ledger.list(limit: 10)
        #expect(listed.map(\.id) == results.reversed().map(\.id))
        #expect(try await fixture.ledger.list(limit: 1).count == 1)
        let stored = try #require(try await fixture.ledger.run(results[2].id))
        #expect(stored.status == .failed)
        #expect(stored.workflow == "report")
        #expect(stored.tags == ["team": "sales", "env": "prod"])
        #expect(stored.totals == results[2].totals)
        #expect(stored.error?.code == .providerFailure)
        #expect(stored.endedAt != nil)
        #expect(try await fixture.ledger.run(RunID("run_missing")) == nil)
        #expect(try fixture.ledger.openReservations().isEmpty)
        #expect(try fixture.ledger.checkInvariants() == [])
    }

    @Test func spendGroupsByWorkflowTagTierAndDayWithCostPerOutcome() async throws {
        let fixture = try LedgerFixture()
        _ = try await Self.runWorkflows(fixture)
        let ledger = fixture.ledger
        let from = LedgerFixture.beforeMidnight.addingTimeInterval(-86_400)
        let to = LedgerFixture.beforeMidnight.addingTimeInterval(86_400)

        let byWorkflow = try ledger.spend(by: .workflow, from: from, to: to)
        #expect(byWorkflow.map(\.key) == ["triage", "report"])
        #expect(byWorkflow.map(\.cost) == [Money(micros: 400), Money(micros: 200)])
        #expect(byWorkflow.map(\.calls) == [2, 1])
        #expect(byWorkflow.map(\.runs) == [2, 1])
        #expect(byWorkflow.map(\.successfulRuns) == [2, 0])
        #expect(byWorkflow.map(\.tokens) == [300, 150])
        #expect(byWorkflow[0].costPerRun == Money(micros: 200))
        #expect(byWorkflow[0].costPerSuccessfulRun == Money(micros: 200))
        #expect(byWorkflow[1].costPerRun == Money(micros: 200))
        #expect(byWorkflow[1].costPerSuccessfulRun == nil)

        let byTeam = try ledger.spend(by: .tag(key: "team"), from: from, to: to)
        #expect(byTeam.map(\.key) == ["team=support", "team=sales"])
        let byRegion = try ledger.spend(by: .tag(key: "region"), from: from, to: to)
        #expect(byRegion.map(\.key) == ["(untagged)"])
        let byAnyTag = try ledger.spend(by: .tag(key: nil), from: from, to: to)
        #expect(byAnyTag.map(\.key) == ["env=prod", "team=support", "team=sales"])
        #expect(byAnyTag[0].cost == Money(micros: 600))
        #expect(byAnyTag[0].runs == 3)
        #expect(byAnyTag[0].successfulRuns == 2)
        #expect(byAnyTag[0].costPerSuccessfulRun == Money(micros: 300))  // what one success really cost

        let byTier = try ledger.spend(by: .tier, from: from, to: to)
        #expect(byTier.map(\.key) == ["test-tier"])
        #expect(byTier.map(\.calls) == [3])

        let byDay = try ledger.spend(by: .day, from: from, to: to)
        #expect(byDay.map(\.key) == ["2026-11-30", "2026-12-01"])
        #expect(byDay.map(\.cost) == [Money(micros: 400), Money(micros: 200)])

        // The window is [from, to): only the first day.
        let firstDay = try ledger.spend(by: .day, from: from, to: LedgerFixture.beforeMidnight.addingTimeInterval(1_800))
        #expect(firstDay.map(\.key) == ["2026-11-30"])
        #expect(throws: BudgetInputError.self) { try ledger.spend(by: .day, from: to, to: from) }
    }

    @Test func aRowEncodesItsPerRunFigures() throws {
        let row = SpendRow(key: "triage", cost: Money(micros: 1_000), tokens: 10, calls: 3, runs: 3, successfulRuns: 2)
        #expect(row.costPerRun == Money(micros: 333))
        #expect(row.costPerSuccessfulRun == Money(micros: 500))
        let json = String(decoding: try JSONEncoder().encode(row), as: UTF8.self)
        #expect(json.contains(#""costPerRun":"0.000333""#))
        #expect(try JSONDecoder().decode(SpendRow.self, from: Data(json.utf8)) == row)
    }

    /// Days as people write them: by default this month so far; `to` alone, its own month up
    /// to that day (a past month's report needs no `from`); a window that ends before it
    /// starts, or a day that does not exist, is refused.
    @Test func aSpendWindowDefaultsToTheMonthOfItsLastDay() throws {
        let now = try #require(ISO8601DateFormatter().date(from: "2026-12-01T15:30:00Z"))
        func day(_ text: String) throws -> Date { try #require(ISO8601DateFormatter().date(from: text + "T00:00:00Z")) }

        let thisMonth = try SpendWindow(from: nil, to: nil, now: now)
        #expect(thisMonth.start == (try day("2026-12-01")))
        #expect(thisMonth.end == (try day("2026-12-02")))

        let october = try SpendWindow(from: nil, to: "2026-10-31", now: now)
        #expect(october.start == (try day("2026-10-01")))
        #expect(october.end == (try day("2026-11-01")))

        let given = try SpendWindow(from: "2026-09-15", to: "2026-10-02", now: now)
        #expect(given.start == (try day("2026-09-15")))
        #expect(given.end == (try day("2026-10-03")))

        let fromOnly = try SpendWindow(from: "2026-11-20", to: nil, now: now)
        #expect(fromOnly.start == (try day("2026-11-20")))
        #expect(fromOnly.end == (try day("2026-12-02")))

        #expect(throws: BudgetInputError("from must not be after to")) {
            try SpendWindow(from: "2026-12-01", to: "2026-11-30", now: now)
        }
        #expect(throws: BudgetInputError("to must be a day as YYYY-MM-DD, got '2026-02-30'")) {
            try SpendWindow(from: nil, to: "2026-02-30", now: now)
        }
    }
}
