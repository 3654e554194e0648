import Foundation
import Purser
import Testing

/// `purser demo` runs the showcase end to end through the real binary.
@Suite("purser demo")
struct DemoCommandTests {
    @Test func runsEveryShowcaseAndReportsSpendAgainstBudgetsAndSavings() async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("purser-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let outcome = try await PurserProcess.run(["demo", "--json"], home: home.path)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let entries = try #require(try JSONValue(parsing: outcome.stdout).arrayValue)
        #expect(entries.map { $0["workflow"]?.stringValue } == ["contact-center", "contract-review", "credit-decision", "planner-executor"])
        for entry in entries {
            let spent = try Money(parsing: try #require(entry["budget"]?["spent"]?.stringValue))
            let limit = try Money(parsing: try #require(entry["budget"]?["limit"]?.stringValue))
            #expect(spent <= limit)
            #expect(try Money(parsing: try #require(entry["run"]?["cost"]?.stringValue)) == spent)
            let saving = try Money(parsing: try #require(entry["saving"]?.stringValue))
            let strongest = try Money(parsing: try #require(entry["strongestTierCost"]?.stringValue))
            #expect(saving == strongest - spent)
        }
        let credit = entries[2]
        let calls = try #require(credit["calls"]?.arrayValue)
        #expect(!calls.isEmpty && calls.allSatisfy { $0["jurisdiction"]?.stringValue == "uk" })
        let planner = entries[3]
        #expect(planner["run"]?["stoppedByBudget"]?.boolValue == true)
        #expect(entries[0]["run"]?["status"]?.stringValue == "succeeded")
        // The demo keeps its budgets in memory: the data directory gets no ledger.
        #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("purser.db").path))
    }

    @Test func refusesABadSpeed() async throws {
        let outcome = try await PurserProcess.run(["demo", "--speed", "warp"], home: NSTemporaryDirectory())
        #expect(outcome.status == 64)
        #expect(outcome.stderr.contains("--speed"))
    }
}
