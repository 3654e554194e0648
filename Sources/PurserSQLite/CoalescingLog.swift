internal import GRDB
internal import PurserSQLiteLog

#if canImport(GRDBSQLite)
    internal import GRDBSQLite
#else
    internal import SQLite3
#endif

/// The write-ahead log's frames written with one system call per commit (see
/// `coalescing_log.c`): SQLite writes each 1 KiB frame with two, and the ledger's writer
/// thread, which every write waits for, spent most of its kernel time in them.
extension SQLiteLedger {
    /// Installed once per process, before the first ledger opens its file; every SQLite file the
    /// process opens afterwards goes through it (only write-ahead logs are written differently).
    private static let coalescingLogInstalled: Bool = purser_install_coalescing_log() == SQLITE_OK

    static func installCoalescingLog() {
        _ = coalescingLogInstalled
    }

    /// Write calls made to write-ahead logs, and frames SQLite wrote to them, in this process
    /// so far: a commit of n frames costs one call instead of 2n.
    public static var logWriteCounts: (systemCalls: Int, frames: Int) {
        var calls: Int64 = 0
        var frames: Int64 = 0
        purser_coalescing_log_counts(&calls, &frames)
        return (Int(calls), Int(frames))
    }

    /// The same counts for the log of `db`'s connection alone, with the bytes it holds
    /// unwritten; `nil` when it has no log open through the coalescing layer.
    static func logWriteCounts(of db: Database) -> (systemCalls: Int, frames: Int, pendingBytes: Int)? {
        var file: UnsafeMutableRawPointer?
        guard sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_JOURNAL_POINTER, &file) == SQLITE_OK,
            let file
        else { return nil }
        var calls: Int64 = 0
        var frames: Int64 = 0
        var pending: Int32 = 0
        guard
            purser_coalescing_log_file_counts(
                file.assumingMemoryBound(to: sqlite3_file.self), &calls, &frames, &pending) == 1
        else { return nil }
        return (Int(calls), Int(frames), Int(pending))
    }
}
