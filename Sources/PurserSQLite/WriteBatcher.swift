import Dispatch
internal import GRDB
import Synchronization

/// Group commit for ledger writes. A commit has a cost of its own (writing the log frames,
/// taking and dropping file locks), so when many tasks write at once their operations are run
/// one after the other inside one `BEGIN IMMEDIATE` transaction and committed together. Each
/// operation still sees every earlier one (they run in order, as if serially), one that throws
/// leaves nothing behind and takes nothing else with it (the batch is then run again with a
/// savepoint for each), and no caller hears back before the COMMIT that made its operation
/// durable has returned.
///
/// Where an operation runs depends on whether the writer has company. When its recent commits
/// were all of one operation (one task writing, one request at a time), the caller runs its
/// operation on its own thread, as one transaction, and saves two thread hand-offs. When they
/// held several, every operation is handed to the writer's own thread (a serial dispatch queue)
/// and the caller suspends, its thread free for the engine's work: SQLite is synchronous, and
/// a transaction run on a caller's thread held one of the cooperative pool's two for its length
/// (and, if another process holds the write lock, up to the busy timeout). Measured on
/// 2026-11-30: at 16 clients the server ran 9% more runs a second with every write handed over
/// (sixteen alternating pairs, fourteen won), while one task writing alone ran a third to a
/// half fewer reservations a second; this rule keeps both.
final class WriteBatcher: Sendable {
    /// One queued operation: `run` does its work inside the transaction and keeps its result;
    /// `finish` resumes its caller after the commit, with that result or with `error`.
    private struct Operation: Sendable {
        let run: @Sendable (Database) throws -> Void
        let finish: @Sendable ((any Error)?) -> Void
    }

    private struct State {
        var queue: [Operation] = []
        var draining = false
        /// Raised by commits of several operations, lowered by commits of one; while above
        /// zero, callers hand their operations over instead of running them.
        var company = 0

        mutating func committed(_ count: Int) {
            company = count > 1 ? min(company + 2, 16) : max(company - 1, 0)
        }
    }

    /// Where a caller's operation goes: into the queue a drainer is taking, to a drainer
    /// started for it, or straight into a transaction on the caller's thread.
    private enum Start { case queued, drainer, inline }

    /// The most operations committed together.
    static let maxBatch = 128

    private let pool: DatabasePool
    private let state = Mutex(State())
    /// Set by the checkpointer when the log has grown long; see ``restartLogAfterNextCommit()``.
    private let logRestartWanted = Atomic<Bool>(false)
    private let restarts = Mutex(LogRestarts())
    private let drainer = DispatchQueue(label: "purser.ledger.group-commit")

    init(pool: DatabasePool) {
        self.pool = pool
    }

    /// Runs `body` in a write transaction (possibly shared with other callers' operations) and
    /// returns its result once that transaction is committed. If `body` throws, nothing it wrote
    /// is kept and the error is rethrown.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result = ResultBox<T>()
        return try await withCheckedThrowingContinuation { continuation in
            let operation = Operation(
                run: { db in result.value = try body(db) },
                finish: { error in
                    if let error {
                        continuation.resume(throwing: error)
                    } else if let value = result.value {
                        continuation.resume(returning: value)
                    } else {
                        continuation.resume(throwing: CancellationError())
                    }
                })
            let start = state.withLock { state -> Start in
                if state.draining {
                    state.queue.append(operation)
                    return .queued
                }
                state.draining = true
                guard state.company == 0 else {
                    state.queue.append(operation)
                    return .drainer
                }
                return .inline
            }
            switch start {
            case .queued: return
            case .drainer: drainer.async { self.drain() }
            case .inline:
                commit([operation])
                let more = state.withLock { state -> Bool in
                    if state.queue.isEmpty { state.draining = false }
                    return !state.queue.isEmpty
                }
                // Hand what queued meanwhile to the drainer, so that this caller returns now.
                if more { drainer.async { self.drain() } }
            }
        }
    }

    /// Whether callers hand their operations to the writer's thread now (their recent commits
    /// had company), rather than running them on their own.
    var handsOperationsOver: Bool { state.withLock { $0.company > 0 } }

    /// Asks the writer to checkpoint the log once, right after its next commit, so that the
    /// commit after it writes the log from its start again: under continuous writes nothing
    /// else makes that happen (see ``BackgroundCheckpointer``). The background checkpointer
    /// has copied nearly all of the log by then; what makes this take tens of milliseconds,
    /// while writes wait, is the flush of the file at its end.
    func restartLogAfterNextCommit() {
        logRestartWanted.store(true, ordering: .relaxed)
    }

    /// The writer's checkpoints for log restarts so far, and how long they held the writes.
    var logRestarts: LogRestarts { restarts.withLock { $0 } }

    /// Runs every operation of `batch` in the open transaction, stopping at the first that
    /// throws; false if one did (the transaction then holds a partial batch, to be rolled back).
    ///
    /// Operations almost never throw, and a savepoint around each costs two statements and,
    /// for every page an earlier operation of the batch already changed (the end of each
    /// table the runs share), a copy of that page to the statement journal: about a third of
    /// the writer's statements at 16 clients. Operations only touch the database and their
    /// own result, so running one a second time, after a rollback, is safe.
    private static func runWithoutSavepoints(_ batch: [Operation], _ db: Database) -> Bool {
        for operation in batch {
            do { try operation.run(db) } catch { return false }
        }
        return true
    }

    /// Runs each operation of `batch` in a savepoint of its own; an operation that throws
    /// rolls back only its own changes. Returns each one's error, if it threw.
    private static func runInSavepoints(_ batch: [Operation], _ db: Database) throws -> [(any Error)?] {
        var outcomes = [(any Error)?](repeating: nil, count: batch.count)
        let savepoint = try RawStatement(db, "SAVEPOINT purser_operation")
        let release = try RawStatement(db, "RELEASE SAVEPOINT purser_operation")
        for (index, operation) in batch.enumerated() {
            try savepoint.run()
            do {
                try operation.run(db)
                try release.run()
            } catch {
                try db.execute(sql: "ROLLBACK TO SAVEPOINT purser_operation")
                try release.run()
                outcomes[index] = error
            }
        }
        return outcomes
    }

    /// Commits queued operations a batch at a time until none are left.
    private func drain() {
        while true {
            let batch = state.withLock { state -> [Operation] in
                let batch = Array(state.queue.prefix(Self.maxBatch))
                state.queue.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            if batch.isEmpty { return }
            commit(batch)
        }
    }

    /// Runs `batch` in one IMMEDIATE transaction and reports to each operation. Alone, an
    /// operation is the transaction; together, each has a savepoint.
    private func commit(_ batch: [Operation]) {
        var outcomes = [(any Error)?](repeating: nil, count: batch.count)
        do {
            try pool.writeWithoutTransaction { db in
                // Prepared once per connection: parsing BEGIN and COMMIT each time costs more
                // than the rest of a small transaction's statements.
                try RawStatement(db, "BEGIN IMMEDIATE TRANSACTION").run()
                do {
                    if batch.count == 1 {
                        do { try batch[0].run(db) } catch {
                            try db.rollback()
                            outcomes[0] = error
                            return
                        }
                    } else if !Self.runWithoutSavepoints(batch, db) {
                        // One threw: everything is undone and the batch runs again, each
                        // operation in a savepoint, so that only the failing ones are lost.
                        if db.isInsideTransaction { try db.rollback() }
                        try RawStatement(db, "BEGIN IMMEDIATE TRANSACTION").run()
                        outcomes = try Self.runInSavepoints(batch, db)
                    }
                    try RawStatement(db, "COMMIT TRANSACTION").run()
                } catch {
                    if db.isInsideTransaction { try? db.rollback() }
                    throw error
                }
            }
        } catch {
            // The transaction as a whole failed (could not begin, or commit): nothing was kept.
            for operation in batch { operation.finish(error) }
            return
        }
        state.withLock { $0.committed(batch.count) }
        for (operation, outcome) in zip(batch, outcomes) { operation.finish(outcome) }
        if logRestartWanted.exchange(false, ordering: .relaxed) {
            // A failure (a reader in the way) leaves the log as it is, to be asked again.
            let start = ContinuousClock.now
            _ = try? pool.writeWithoutTransaction(BackgroundCheckpointer.passiveCheckpoint)
            let pause = ContinuousClock.now - start
            restarts.withLock { $0.record(pause) }
        }
    }
}

/// Where an operation leaves its result for its caller. Written by the operation inside the
/// transaction and read by `finish` after the commit, on the same thread, one after the other:
/// never at the same time, hence unchecked.
private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
