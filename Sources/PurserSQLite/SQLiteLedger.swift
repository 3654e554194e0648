import Foundation
internal import GRDB
import Purser

/// The durable ledger, the embedded default: budgets, reservations, append-only entries,
/// alerts and runs in one SQLite file (`<data dir>/purser.db`), shared safely by every
/// process that opens it (a server and CLI runs).
///
/// Every reservation is checked against every applicable budget and written inside a
/// `BEGIN IMMEDIATE` transaction, which takes SQLite's write lock before reading the balances;
/// so two processes (or two tasks) can never both see the same money left, and spend never
/// passes a cap however many calls race. Settling and releasing are recorded exactly once:
/// a second attempt throws ``LedgerError`` and writes nothing. When many tasks write at once,
/// their operations share transactions (group commit, each in its own savepoint), which is
/// what lets throughput grow with concurrency; see `WriteBatcher`.
///
/// A reservation's id is `r` followed by the id of its reserve entry (`r42`).
///
/// ## Durability
///
/// The file is in WAL mode with `synchronous = NORMAL`. A transaction is in the write-ahead
/// log, in the operating system's page cache, when COMMIT returns; a process crash (SIGKILL
/// included) at any later moment loses nothing, because the OS still writes those pages out
/// and the next opener replays the log. What NORMAL gives up is the fsync per commit: an OS
/// crash or power loss can lose the last transactions committed before it (never corrupt the
/// file, and never half a transaction). Open with ``Options/synchronous`` `.full` to fsync
/// every commit and survive those too, at a lower rate of reservations per second.
///
/// The log is copied back into the file by a ``BackgroundCheckpointer``, not by the writer's
/// own commits; under continuous load the writer restarts the log about every 256 MiB, which
/// holds its writes for one flush of the file (tens of milliseconds).
///
/// ## Usage
///
/// ```swift
/// let ledger = try SQLiteLedger(path: home + "/purser.db")
/// try ledger.setBudget(
///     try Budget(scope: .global, period: .month, limit: Money(parsing: "500.00")),
///     actor: "finance@example.com", reason: "Q4 plan")
/// let engine = Engine(ledger: ledger, runStore: ledger)
/// ```
public final class SQLiteLedger: Ledger, Sendable {
    /// How the file is opened.
    public struct Options: Sendable, Hashable {
        /// When a commit is forced to disk; see the type's Durability section.
        public var synchronous: Synchronous
        /// How long a write waits for another process's write to finish before failing.
        public var busyTimeout: Duration
        /// How long the write-ahead log may grow, in frames, before the writer restarts it
        /// (see ``BackgroundCheckpointer``); tests make it small.
        var logRestartFrames = BackgroundCheckpointer.restartFrames

        public init(synchronous: Synchronous = .normal, busyTimeout: Duration = .seconds(30)) {
            self.synchronous = synchronous
            self.busyTimeout = busyTimeout
        }
    }

    /// SQLite's `synchronous` setting (in WAL mode).
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// Survives a process crash; an OS crash or power loss may lose the last commits.
        case normal = "NORMAL"
        /// Also survives an OS crash or power loss: an fsync of the log at every commit.
        case full = "FULL"
    }

    /// The database file's name inside the data directory.
    public static let fileName = "purser.db"

    /// The largest amount one call may reserve or settle: the largest budget limit. Keeps every
    /// sum of amounts far inside 64-bit micros (SQLite would turn an overflowing sum into a
    /// floating-point number).
    public static let largestAmount = Budget.largestLimit
    /// The largest token count one call may reserve or settle.
    public static let largestTokens = Budget.largestTokenLimit

    let pool: DatabasePool
    let clock: any PurserClock
    let process: ProcessIdentity
    let budgetCache = BudgetCache()
    let batcher: WriteBatcher
    let checkpointer: BackgroundCheckpointer
    /// The file's path.
    public let path: String
    /// What the reconciliation run when the file was opened did.
    public let openingReconciliation: ReconcileReport

    /// Caps are always enforced: budgets can be set at any time, by any process.
    public let enforcesCaps = true

    /// Opens (creating it and its folder if needed) the database at `path`, brings its tables
    /// up to date, and reconciles reservations that dead processes left open.
    public convenience init(path: String, clock: any PurserClock = SystemClock(), options: Options = Options()) throws {
        try self.init(path: path, clock: clock, options: options, process: .current)
    }

    /// Opens `purser.db` in the data directory `directory`.
    public convenience init(dataDirectory directory: String, clock: any PurserClock = SystemClock()) throws {
        try self.init(path: (directory as NSString).appendingPathComponent(Self.fileName), clock: clock)
    }

    /// `process` is whom reservations made through this instance are recorded for; tests pass
    /// a dead one to leave reservations behind as a crashed process would.
    init(path: String, clock: any PurserClock, options: Options, process: ProcessIdentity) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        Self.installCoalescingLog()
        var configuration = Configuration()
        configuration.busyMode = .timeout(options.busyTimeout.seconds)
        configuration.journalMode = .wal
        configuration.label = "purser"
        configuration.prepareDatabase { db in
            // Small pages for a new file (no effect on an existing one): every page a
            // transaction touches is written whole to the log at COMMIT, and ledger rows are
            // small, so 1 KiB pages make a reservation about a fifth cheaper than 4 KiB ones.
            try db.execute(sql: "PRAGMA page_size = 1024")
        }
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            // Only the writer connection commits, so only its setting matters.
            try db.execute(sql: "PRAGMA synchronous = \(options.synchronous.rawValue)")
        }
        try LedgerSchema.migrator.migrate(pool)
        try pool.writeWithoutTransaction { db in
            // The checkpointer below copies the log back instead, off the writer's path.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 0")
        }
        let batcher = WriteBatcher(pool: pool)
        checkpointer = try BackgroundCheckpointer(
            path: path, configuration: configuration, restartFrames: options.logRestartFrames
        ) { batcher.restartLogAfterNextCommit() }
        self.batcher = batcher
        self.path = path
        self.clock = clock
        self.process = process
        openingReconciliation = try Self.reconcile(pool, budgets: budgetCache, clock: clock)
    }

    /// The log restarts so far (see ``LogRestarts``): for the server's metrics and benchmarks.
    public var logRestarts: LogRestarts { batcher.logRestarts }

    /// The `synchronous` setting in force on the writer connection (`NORMAL`, `FULL`, ...).
    public func synchronousMode() throws -> String {
        let names = ["OFF", "NORMAL", "FULL", "EXTRA"]
        let level = try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } ?? -1
        return names.indices.contains(level) ? names[level] : String(level)
    }

    /// The database's page size in bytes.
    func pageSize() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } ?? 0
    }

    /// The journal mode in force (`wal`).
    public func journalMode() throws -> String {
        try pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } ?? ""
    }

    /// Runs `body` in a write transaction that takes the write lock before it reads
    /// (`BEGIN IMMEDIATE`): nothing another writer commits can slip between its reads and its
    /// writes. Concurrent callers share transactions (group commit, see ``WriteBatcher``); an
    /// error thrown rolls back everything `body` wrote, and only that.
    func writeImmediately<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await batcher.write(body)
    }

    /// One IMMEDIATE transaction, run now on the calling thread: for the finance calls, which
    /// are synchronous and rare.
    func writeImmediatelyNow<T>(_ body: (Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }
}
