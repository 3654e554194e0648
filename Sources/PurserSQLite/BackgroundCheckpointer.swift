import Foundation
internal import GRDB
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and a thread of its
/// own, so that the writer never does it.
///
/// Why: SQLite's automatic checkpoint runs inside whichever COMMIT pushes the log past its
/// threshold, on the writer's connection, and it fsyncs the log and the file. Every write
/// queued behind that commit (a busy server's reservations, journal records, run ends) waited
/// out the disk's flush. A PASSIVE checkpoint takes no write lock, so here it runs beside the
/// writer. The log stays bounded: at most one interval's commits pile up between checkpoints.
final class BackgroundCheckpointer: Sendable {
    private final class StopFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    private let stop = StopFlag()

    /// Checkpoints `path` every `interval`, after the caller has turned the writer's own
    /// automatic checkpoints off.
    init(path: String, configuration: Configuration, interval: Duration = .milliseconds(100)) throws {
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        let stop = stop
        let thread = Thread {
            while !stop.raised.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval.seconds)
                // A failure (busy, I/O) is retried at the next tick; the writer is unaffected.
                _ = try? connection.writeWithoutTransaction { db in
                    try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)")
                }
            }
        }
        thread.name = "purser.ledger.checkpoint"
        thread.start()
    }

    deinit {
        stop.raised.store(true, ordering: .relaxed)
    }
}
