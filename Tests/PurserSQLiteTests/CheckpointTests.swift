import Foundation
import Purser
import Testing

@testable import PurserSQLite

/// The write-ahead log is copied back into the database file by the background checkpointer,
/// not by the writer's commits.
@Suite("Background checkpoints")
struct CheckpointTests {
    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    @Test func theWritersCommitsLeaveTheLogAndTheCheckpointerCopiesItBack() async throws {
        let fixture = try LedgerFixture()
        #expect(try await fixture.ledger.pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA wal_autocheckpoint") } == 0)
        let before = Self.size(fixture.path)
        let output = JSONValue.string(String(repeating: "ledger ", count: 150))
        for index in 0..<400 {
            let summary = RunSummary(
                id: RunID("run_\(index)"), workflow: "w", status: .succeeded, input: [:], tags: [:],
                startedAt: Date(), endedAt: Date(), totals: RunTotals(), output: output, error: nil)
            try await fixture.ledger.save(summary)
        }
        // About 400 KB were committed; the file grows only once a checkpoint copies them in.
        let deadline = ContinuousClock.now + .seconds(30)
        while Self.size(fixture.path) < before + 300_000, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(Self.size(fixture.path) >= before + 300_000)
        #expect(try await fixture.ledger.list(limit: 1_000).count == 400)
    }
}
