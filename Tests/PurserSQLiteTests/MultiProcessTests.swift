import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The cap holds across processes, not only across tasks: several processes (the
/// `purser-ledger-bench --hammer` helper) race reserve+settle pairs on one ledger file.
@Suite("SQLiteLedger: processes racing on one file")
struct MultiProcessTests {
    struct Outcome: Decodable {
        var refused: Int
        var settled: Int
        var settledMicros: Int64
    }

    static var helper: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("purser-ledger-bench")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: helper.path)))
    func threeProcessesNeverPassOneCap() async throws {
        let directory = try TemporaryDirectory(prefix: "purser-processes")
        let path = directory.url.appendingPathComponent(SQLiteLedger.fileName).path
        let ledger = try SQLiteLedger(path: path)
        // Room for 600 calls of 100 µ; the three processes ask for 1,200.
        let cap = Money(micros: 60_000)
        try ledger.setBudget(try Budget(scope: .global, period: .month, limit: cap), actor: "test")

        // All three start before any is waited for, so they really race.
        let outcomes = try await withThrowingTaskGroup(of: ChildOutcome.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await ChildProcess.run(Self.helper, ["--hammer", path, "--pairs", "400", "--amount", "100"])
                }
            }
            var outcomes: [Outcome] = []
            for try await child in group {
                #expect(child.status == 0, "\(child.stderr)")
                outcomes.append(try JSONDecoder().decode(Outcome.self, from: child.stdoutData))
            }
            return outcomes
        }

        #expect(outcomes.map { $0.settled + $0.refused } == [400, 400, 400])
        #expect(outcomes.reduce(0) { $0 + $1.settled } == 600)
        #expect(outcomes.reduce(Int64(0)) { $0 + $1.settledMicros } == cap.micros)
        #expect(try ledger.totalSettled() == cap)
        #expect(try ledger.budgetStatuses().first?.spent == cap)
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
    }
}
