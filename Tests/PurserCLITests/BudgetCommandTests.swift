import Foundation
import Purser
import PurserTestKit
import Testing

/// `purser budget` and `purser spend` through the real executable, with runs against the
/// durable ledger in a temporary data directory.
@Suite("purser budget and spend")
struct BudgetCommandTests {
    typealias Outcome = PurserOutcome

    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory(prefix: "purser-budget-home")
    }

    func purser(_ arguments: String...) async throws -> Outcome {
        try await PurserProcess.run(arguments, home: home.path, environment: ["USER": "finance-bot"])
    }

    @Test func badBudgetsAreRefusedAndNothingIsWritten() async throws {
        let cases: [([String], String)] = [
            (["budget", "set", "team", "--limit", "5"], "unknown scope 'team'"),
            (["budget", "set", "global", "--limit", "abc"], "--limit must be a decimal amount"),
            (["budget", "set", "global", "--limit=-5"], "more than zero"),
            (["budget", "set", "global", "--limit", "0"], "more than zero"),
            (["budget", "set", "global", "--limit", "5000000000"], "too large"),
            (["budget", "set", "global", "--limit", "1.0000001"], "--limit must be a decimal amount"),
            (["budget", "set", "global"], "needs a money limit, a token limit, or both"),
            (["budget", "set", "global", "--tokens=-5"], "token limit must be more than zero"),
            (["budget", "set", "global", "--limit", "5", "--policy", "yolo"], "unknown policy 'yolo'"),
            (["budget", "set", "global", "--limit", "5", "--period", "week"], "unknown period 'week'"),
            (["budget", "set", "global", "--limit", "5", "--soft", "120%"], "between 1% and 99%"),
            (["budget", "set", "global", "--limit", "5", "--soft", "lots"], "whole percentage"),
            (["budget", "set", "run", "--period", "day", "--limit", "5"], "its period is run"),
        ]
        for (arguments, problem) in cases {
            let outcome = try await PurserProcess.run(arguments, home: home.path)
            #expect(outcome.status == 65, "\(arguments): \(outcome.stderr)")
            #expect(outcome.stderr.contains(problem), "\(arguments): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(arguments)")
        }
        let list = try await purser("budget", "list", "--json")
        #expect(list.status == 0)
        #expect(try JSONValue(parsing: list.stdout) == .array([]))
        #expect(try JSONValue(parsing: try await purser("budget", "history", "--json").stdout) == .array([]))
        let missing = try await purser("budget", "remove", "global", "--period", "day")
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("there is no budget global/day"))
    }

    @Test func financeSetsACapRunsStayWithinItAndSpendIsReported() async throws {
        let set = try await purser(
            "budget", "set", "tag:team=support", "--period", "month", "--limit", "0.00025", "--soft", "10%",
            "--reason", "pilot month")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(set.stdout == "set tag:team=support/month: limit 0.00025, soft 10%, stop (was: none)\n")

        // Support triage costs about 0.0001 a run here, and its last call reserves up to 0.00015:
        // the first run fits, the second hits the cap at that call.
        let first = try await purser("run", "support-triage", "--speed", "instant", "--tag", "team=support", "--json")
        #expect(first.status == 0, "\(first.stderr)")
        let second = try await purser("run", "support-triage", "--speed", "instant", "--tag", "team=support")
        #expect(second.status == 75, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("budget exceeded: tag:team=support/month has 0.0"))
        // Runs without the tag are not under that budget.
        #expect(try await purser("run", "support-triage", "--speed", "instant").status == 0)

        let list = try JSONValue(parsing: try await purser("budget", "list", "--json").stdout)
        let status = try #require(list.arrayValue?.first)
        #expect(status["budget"]?["scope"] == "tag:team=support")
        let spent = try Money(parsing: try #require(status["spent"]?.stringValue))
        #expect(spent <= Money(micros: 250))
        #expect(try Money(parsing: try #require(status["reserved"]?.stringValue)) == .zero)

        let alerts = try await purser("budget", "alerts")
        #expect(alerts.stdout.contains("softThreshold"))
        #expect(alerts.stdout.contains("hardCap"))

        let history = try JSONValue(parsing: try await purser("budget", "history", "--json").stdout)
        #expect(history.arrayValue?.first?["actor"] == "finance-bot")
        #expect(history.arrayValue?.first?["reason"] == "pilot month")

        let byTag = try await purser("spend", "--by", "tag:team", "--csv")
        #expect(byTag.status == 0)
        let lines = byTag.stdout.split(separator: "\n")
        #expect(lines.first == "group,cost,tokens,calls,runs,successful_runs,cost_per_run,cost_per_successful_run,reconciled_cost,reconciled_calls")
        #expect(lines.contains { $0.hasPrefix("team=support,") })
        let byWorkflow = try JSONValue(parsing: try await purser("spend", "--by", "workflow", "--json").stdout)
        let row = try #require(byWorkflow.arrayValue?.first)
        #expect(row["key"] == "support-triage")
        #expect(row["runs"] == 3)
        #expect(row["successfulRuns"] == 2)
        #expect(row["costPerSuccessfulRun"] != nil)

        let removed = try await purser("budget", "remove", "tag:team=support", "--reason", "pilot over")
        #expect(removed.status == 0)
        #expect(try await purser("budget", "history").stdout.contains("removed"))
        #expect(try await purser("spend", "--from", "2026-13-01").status == 65)
        #expect(try await purser("spend", "--from", "2026-02-30").status == 65)
        let backwards = try await purser("spend", "--from", "2026-11-30", "--to", "2026-11-01")
        #expect(backwards.status == 65)
        #expect(backwards.stderr.contains("--from must not be after --to"))
        #expect(try await purser("spend", "--by", "team").status == 65)
    }
}
