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
/// writer.
///
/// A passive checkpoint alone does not bound the log, though. SQLite writes the log from its
/// start again only when a write begins after everything in it has been copied back, and under
/// a steady stream of group commits there is never such a moment: the log grew by every commit
/// for as long as the load lasted (251 MB in a 10-second benchmark; days of traffic would fill
/// the disk). So when a pass leaves more than `restartFrames` in the log, the checkpointer asks
/// the writer to checkpoint once itself, between two commits (see
/// `WriteBatcher.restartLogAfterNextCommit()`); with nothing left uncopied, the writer's next
/// commit writes the log from its start. That checkpoint ends in a flush of the file, which
/// holds the writes queued behind it for as long as it takes. Hence a large threshold (256 MiB,
/// about seven seconds of a saturated server), which keeps such pauses rare.
///
/// And the flush is made short. SQLite flushes the file only at the end of a checkpoint that
/// copied the whole log, which under load only the writer's does: so that flush found every
/// page copied back since the last restart still unwritten, scattered through the file, and
/// held the writes for 180-310 ms (measured 2026-11-30, 16 clients). So before asking, the
/// checkpointer flushes the file itself and copies what came in meanwhile, several times over,
/// all beside the writer; the writer's flush then finds a few milliseconds of pages. The
/// writer's pauses measured 10-23 ms on average per run with two flushes before asking, 3-7 ms
/// with three and 2.4-3.5 ms with four (2026-12-01, 16 clients, one or two restarts a run), and
/// they are the largest single part of the p99 latency: a build that never restarted the log
/// had p99 1.6 ms lower in six alternating pairs of 4-second runs.
///
/// And every pass that copied pages is flushed. A passive pass does not flush the file, so the
/// first flush before a restart wrote every page copied back since the last one, about four
/// seconds of them, and took about 195 ms (`perf trace`, 2026-12-01); while it ran, every request
/// in flight stalled for 35-40 ms, for a reason not pinned down (the kernel's journal is the
/// suspect). Flushed after every pass, each flush has a tenth of a second of pages. Eight
/// alternating pairs of 20-second runs at 16 clients: p99 lower in six (8.5 to 8.2 ms, means),
/// the slowest request lower in five (30-78 ms before; 15-41 ms after, but 121 ms once: another
/// stall remains), with the same throughput and bytes written. An idle server's passes copy
/// nothing and flush nothing.
final class BackgroundCheckpointer: Sendable {
    private final class StopFlag: Sendable {
        let raised = Atomic<Bool>(false)
    }

    /// How many log frames (one page each) a pass may leave before the writer is asked to
    /// restart the log: 256 MiB of 1 KiB pages.
    static let restartFrames = 262_144

    /// How many passes, each followed by a flush of the file, run before the writer is asked to
    /// restart the log: each pass copies only what came in during the flush before it, so the
    /// writer's own flush finds less each time.
    static let flushesBeforeRestart = 4

    private let stop = StopFlag()

    /// Checkpoints `path` every `interval`, after the caller has turned the writer's own
    /// automatic checkpoints off; calls `restartLog` when a pass leaves more than
    /// `restartFrames` in the log.
    init(
        path: String, configuration: Configuration, interval: Duration = .milliseconds(100),
        restartFrames: Int = BackgroundCheckpointer.restartFrames, restartLog: @escaping @Sendable () -> Void
    ) throws {
        let connection = try DatabaseQueue(path: path, configuration: configuration)
        // Flushing through any descriptor of the file writes out all of its dirty pages.
        let file = FileHandle(forReadingAtPath: path)
        let stop = stop
        let thread = Thread {
            // How much of the log had been copied back at the last flush, in frames.
            var flushedUpTo = 0
            while !stop.raised.load(ordering: .relaxed) {
                Thread.sleep(forTimeInterval: interval.seconds)
                // A failure (busy, I/O) is retried at the next tick; the writer is unaffected.
                guard let pass = try? Self.checkpoint(connection) else { continue }
                // A pass that copied pages back has them flushed at once, so that no flush has
                // seconds of them to write (see the type's documentation); an idle server's
                // passes copy nothing and flush nothing.
                if pass.copied != flushedUpTo {
                    try? file?.synchronize()
                    flushedUpTo = pass.copied
                }
                if pass.log > restartFrames {
                    // Leave the writer's flush little to write.
                    for _ in 1..<Self.flushesBeforeRestart {
                        _ = try? Self.checkpoint(connection)
                        try? file?.synchronize()
                    }
                    restartLog()
                }
            }
        }
        thread.name = "purser.ledger.checkpoint"
        thread.start()
    }

    /// A passive checkpoint: the log's length, and how much of it is copied back, in frames.
    private static func checkpoint(_ connection: DatabaseQueue) throws -> (log: Int, copied: Int) {
        try connection.writeWithoutTransaction { db in
            try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)").map { row in (row[1], row[2]) } ?? (0, 0)
        }
    }

    /// Copies what it can of the log into the file without taking the write lock; the log's
    /// length in frames. The writer runs it too, between two commits, to restart the log.
    static func passiveCheckpoint(_ db: Database) throws -> Int {
        try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(PASSIVE)").map { row -> Int in row[1] } ?? 0
    }

    deinit {
        stop.raised.store(true, ordering: .relaxed)
    }
}
