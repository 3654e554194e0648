import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// Many tasks reserve, settle and release on shared caps at once, with operations chosen by a
/// seeded generator (the scheduler picks the interleaving). The ledger's invariants are
/// checked on a snapshot after every operation, while the others keep writing.
@Suite("SQLiteLedger: randomized interleaving")
struct InterleavingTests {
    static let workflows = ["triage", "reports", "ingest"]
    static let teams = ["support", "sales"]

    @Test(arguments: [UInt64(7), 20_261_130])
    func invariantsHoldAfterEveryOperation(seed: UInt64) async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try ledger.setBudget(try budget(.global, .day, limit: 40_000, soft: 50), actor: "finance")
        try ledger.setBudget(try budget(.workflow("triage"), .month, limit: 15_000), actor: "finance")
        try ledger.setBudget(try budget(.tag(key: "team", value: "support"), .day, limit: 12_000, tokens: 9_000), actor: "finance")
        try ledger.setBudget(try budget(.run, .run, limit: 2_500), actor: "finance")

        let tasks = 8
        let operations = 40
        let outcomes = try await withThrowingTaskGroup(of: Outcome.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    try await Self.work(ledger: ledger, seed: seed &+ UInt64(task), task: task, operations: operations)
                }
            }
            return try await group.reduce(into: Outcome()) { $0.add($1) }
        }

        #expect(outcomes.problems == [])
        #expect(outcomes.reserved > 0)
        #expect(outcomes.refused > 0)  // the caps were really reached
        #expect(outcomes.doubleResolutionsRefused == outcomes.doubleResolutionsTried)
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
        #expect(try ledger.totalSettled() == outcomes.settled)
        for status in try ledger.budgetStatuses() where status.budget.period != .run {
            #expect(status.spent <= status.budget.limit ?? status.spent)
            #expect(status.reserved == .zero)
        }
    }

    struct Outcome: Sendable {
        var reserved = 0
        var refused = 0
        var settled = Money.zero
        var doubleResolutionsTried = 0
        var doubleResolutionsRefused = 0
        var problems: [String] = []

        mutating func add(_ other: Outcome) {
            reserved += other.reserved
            refused += other.refused
            settled += other.settled
            doubleResolutionsTried += other.doubleResolutionsTried
            doubleResolutionsRefused += other.doubleResolutionsRefused
            problems += other.problems
        }
    }

    /// One task's operations: reserve, then later settle (at most the reserved amount) or
    /// release, holding a few reservations open at a time; now and then a second resolution,
    /// which must be refused.
    static func work(ledger: SQLiteLedger, seed: UInt64, task: Int, operations: Int) async throws -> Outcome {
        var random = SplitMix64(seed: seed)
        var outcome = Outcome()
        var open: [Reservation] = []
        var resolved: [Reservation] = []
        for index in 0..<operations {
            let choice = Int.random(in: 0..<10, using: &random)
            if choice < 5 || open.isEmpty {
                let tags = Bool.random(using: &random) ? ["team": teams.randomElement(using: &random)!] : [:]
                let req = request(
                    run: "run_\(task)_\(index % 4)", workflow: workflows.randomElement(using: &random)!,
                    step: "step\(index)", tags: tags, amount: Int64.random(in: 1...1_500, using: &random),
                    tokens: Int.random(in: 0...900, using: &random))
                do {
                    open.append(try await ledger.reserve(req))
                    outcome.reserved += 1
                } catch is BudgetExceededError {
                    outcome.refused += 1
                }
            } else if choice < 9 {
                let hold = open.remove(at: Int.random(in: 0..<open.count, using: &random))
                if Bool.random(using: &random) {
                    let cost = Money(micros: Int64.random(in: 0...hold.request.amount.micros, using: &random))
                    let tokens = Int.random(in: 0...hold.request.tokens, using: &random)
                    try await ledger.settle(hold, usage: TokenUsage(inputTokens: tokens), cost: cost)
                    outcome.settled += cost
                } else {
                    try await ledger.release(hold)
                }
                resolved.append(hold)
            } else if let again = resolved.randomElement(using: &random) {
                outcome.doubleResolutionsTried += 1
                do {
                    try await ledger.settle(again, usage: .zero, cost: Money(micros: 1))
                } catch is LedgerError {
                    outcome.doubleResolutionsRefused += 1
                }
            }
            outcome.problems += try ledger.checkInvariants().map { "task \(task) op \(index): \($0)" }
        }
        for hold in open { try await ledger.release(hold) }
        return outcome
    }
}
