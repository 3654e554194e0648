import Foundation
import Purser
import PurserTestKit
import Synchronization
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

    /// Under writes that never pause, the log would grow by every commit (a passive checkpoint
    /// never finds it all copied); past its limit the writer restarts it.
    @Test func theLogStaysBoundedUnderWritesThatNeverPause() async throws {
        let directory = try TemporaryDirectory(prefix: "purser-wal")
        let path = directory.url.appendingPathComponent("purser.db").path
        var options = SQLiteLedger.Options()
        options.logRestartFrames = 400
        let ledger = try SQLiteLedger(path: path, clock: SystemClock(), options: options, process: .current)
        let output = JSONValue.string(String(repeating: "ledger ", count: 150))
        let largest = LargestSeen()
        // Eight writers at once, so a commit is always waiting behind the one running.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    for index in 0..<2_000 {
                        let summary = RunSummary(
                            id: RunID("run_\(writer)_\(index)"), workflow: "w", status: .succeeded, input: [:],
                            tags: [:], startedAt: Date(), endedAt: Date(), totals: RunTotals(), output: output,
                            error: nil)
                        try await ledger.save(summary)
                        let size = Self.size(path + "-wal")
                        largest.value.withLock { $0 = max($0, size) }
                    }
                }
            }
            try await group.waitForAll()
        }
        // Never restarted, the log took all 16,000 runs: 114 MB, measured. Restarted once a
        // checkpoint leaves more than 400 frames, it peaked at 12.5-18.5 MB in six runs (a
        // checkpointer tick, the flushes before each restart, and a restart that a reader put
        // off let it run past the limit), as it did with a quarter of the runs: it stays bounded.
        #expect(largest.value.withLock { $0 } < 40_000_000)
        #expect(try await ledger.list(limit: 20_000).count == 16_000)
        // Each restart the writer ran is counted, with how long it held the writes.
        let restarts = ledger.logRestarts
        #expect(restarts.count > 0)
        #expect(restarts.longest > .zero)
        #expect(restarts.total >= restarts.longest)
        #expect(restarts.total <= restarts.longest * restarts.count)
    }
}

/// The largest log size any writer saw.
private final class LargestSeen: Sendable {
    let value = Mutex(0)
}
