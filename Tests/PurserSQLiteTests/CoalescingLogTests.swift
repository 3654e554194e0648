import Foundation
internal import GRDB
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The layer under SQLite that writes a commit's log frames with one call (`coalescing_log.c`):
/// it must save the calls, and must never let anything see the file without a committed frame,
/// whether the transaction is small, larger than its buffer, or rolled back after spilling.
@Suite("Coalescing the write-ahead log's writes")
struct CoalescingLogTests {
    @Test("a commit's frames reach the log in one write call, where SQLite makes two per frame")
    func oneCallPerCommit() throws {
        let fixture = try LedgerFixture()
        let (calls, frames) = try fixture.ledger.pool.writeWithoutTransaction { db -> (Int, Int) in
            try db.execute(sql: "CREATE TABLE blob_rows (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            let before = try #require(SQLiteLedger.logWriteCounts(of: db))
            try db.inTransaction {
                for id in 0..<30 {
                    try db.execute(
                        sql: "INSERT INTO blob_rows (id, body) VALUES (?, zeroblob(900))", arguments: [id])
                }
                return .commit
            }
            let after = try #require(SQLiteLedger.logWriteCounts(of: db))
            return (after.systemCalls - before.systemCalls, after.frames - before.frames)
        }
        #expect(frames >= 30)
        #expect(calls == 1)
        #expect(SQLiteLedger.logWriteCounts.frames >= frames)
    }

    @Test("each committed value is what another connection reads right after the commit")
    func commitsAreVisibleAtOnce() async throws {
        let fixture = try LedgerFixture()
        let pool = fixture.ledger.pool
        try await pool.write { db in try db.execute(sql: "CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)") }
        for value in 1...200 {
            try await pool.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO counter (id, value) VALUES (1, ?)", arguments: [value])
            }
            let read = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT value FROM counter WHERE id = 1") }
            #expect(read == value)
        }
    }

    @Test("a transaction larger than the buffer is written in parts and reads back whole, here and after reopening")
    func largeTransaction() throws {
        let fixture = try LedgerFixture()
        let rows = 2_000
        let calls = try fixture.ledger.pool.writeWithoutTransaction { db -> Int in
            try db.execute(sql: "CREATE TABLE big (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            let before = try #require(SQLiteLedger.logWriteCounts(of: db))
            try db.inTransaction {
                for id in 0..<rows {
                    try db.execute(
                        sql: "INSERT INTO big (id, body) VALUES (?, printf('%0700d', ?))", arguments: [id, id])
                }
                return .commit
            }
            return try #require(SQLiteLedger.logWriteCounts(of: db)).systemCalls - before.systemCalls
        }
        #expect(calls > 1)
        let read = try fixture.ledger.pool.read { db in
            try (Int.fetchOne(db, sql: "SELECT count(*) FROM big WHERE body = printf('%0700d', id)") ?? 0,
                String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(read.0 == rows)
        #expect(read.1 == "ok")
        let reopened = try fixture.reopen()
        let count = try reopened.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM big WHERE body = printf('%0700d', id)")
        }
        #expect(count == rows)
    }

    @Test("a transaction that spilled frames into the log and rolled back leaves nothing behind")
    func spilledRollback() throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE kept (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            try db.execute(sql: "INSERT INTO kept (id, body) VALUES (0, x'00')")
            // A tiny page cache makes SQLite write pages to the log before the commit.
            try db.execute(sql: "PRAGMA cache_size = 8")
            let before = try #require(SQLiteLedger.logWriteCounts(of: db))
            struct Abandon: Error {}
            #expect(throws: Abandon.self) {
                try db.inTransaction {
                    for id in 1...1_500 {
                        try db.execute(sql: "INSERT INTO kept (id, body) VALUES (?, randomblob(600))", arguments: [id])
                    }
                    throw Abandon()
                }
            }
            // The abandoned transaction did write frames (so this case was reached).
            #expect(try #require(SQLiteLedger.logWriteCounts(of: db)).frames - before.frames > 100)
            try db.execute(sql: "INSERT INTO kept (id, body) VALUES (1, x'01')")
            try db.execute(sql: "PRAGMA cache_size = -2000")
        }
        let check = { (ledger: SQLiteLedger) throws -> ([Int], String?) in
            try ledger.pool.read { db in
                (try Int.fetchAll(db, sql: "SELECT id FROM kept ORDER BY id"),
                    try String.fetchOne(db, sql: "PRAGMA integrity_check"))
            }
        }
        let here = try check(fixture.ledger)
        #expect(here.0 == [0, 1])
        #expect(here.1 == "ok")
        let again = try check(try fixture.reopen())
        #expect(again.0 == [0, 1])
        #expect(again.1 == "ok")
    }

    @Test("frames left from a rolled-back transaction never overwrite what another writer committed after it")
    func rolledBackFramesNeverOverwriteLaterCommits() throws {
        let fixture = try LedgerFixture()
        let first = fixture.ledger.pool
        try first.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE shared (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
        }
        // A second ledger on the same file: a second writer connection, as another process has.
        let second = try fixture.reopen().pool
        struct Abandon: Error {}
        try first.writeWithoutTransaction { db in
            // An empty log: undoing the transaction below then re-reads no page from the log,
            // which would write the held frames on its own.
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            try db.execute(sql: "PRAGMA cache_size = 8")
            let before = try #require(SQLiteLedger.logWriteCounts(of: db))
            var heldAtRollback = 0
            #expect(throws: Abandon.self) {
                try db.inTransaction {
                    for id in 1...100 {
                        try db.execute(sql: "INSERT INTO shared (id, body) VALUES (?, randomblob(600))", arguments: [id])
                    }
                    heldAtRollback = try #require(SQLiteLedger.logWriteCounts(of: db)).pendingBytes
                    throw Abandon()
                }
            }
            let after = try #require(SQLiteLedger.logWriteCounts(of: db))
            // The abandoned transaction spilled frames into the log and still held some when it
            // rolled back (the case under test), and none are held once it has ended.
            #expect(after.frames - before.frames > 20)
            #expect(heldAtRollback > 0)
            #expect(after.pendingBytes == 0)
            try db.execute(sql: "PRAGMA cache_size = -2000")
        }
        // The other writer commits where the abandoned frames would have gone.
        try second.writeWithoutTransaction { db in
            try db.inTransaction {
                for id in 1_000..<1_200 {
                    try db.execute(sql: "INSERT INTO shared (id, body) VALUES (?, zeroblob(600))", arguments: [id])
                }
                return .commit
            }
        }
        // The first writer writes again: nothing it held may land over the second's frames.
        try first.writeWithoutTransaction { db in
            try db.execute(sql: "INSERT INTO shared (id, body) VALUES (5000, x'05')")
        }
        let third = try fixture.reopen()
        let (ids, check) = try third.pool.read { db in
            (try Int.fetchAll(db, sql: "SELECT id FROM shared ORDER BY id"),
                try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(ids == Array(1_000..<1_200) + [5000])
        #expect(check == "ok")
    }

    @Test("a transaction that rewrote its own spilled frames commits, and its log recovers from the files alone")
    func rewrittenFramesRecover() throws {
        let fixture = try LedgerFixture()
        let rows = 400
        try fixture.ledger.pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE rewritten (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            // A tiny page cache spills pages into the log mid-transaction; changing them again
            // makes SQLite overwrite its own frames and then rewrite their checksums.
            try db.execute(sql: "PRAGMA cache_size = 8")
            try db.inTransaction {
                for id in 0..<rows {
                    try db.execute(sql: "INSERT INTO rewritten (id, body) VALUES (?, printf('%0500d', ?))", arguments: [id, id])
                }
                try db.execute(sql: "UPDATE rewritten SET body = printf('%0600d', id)")
                return .commit
            }
            try db.execute(sql: "PRAGMA cache_size = -2000")
            #expect(try #require(SQLiteLedger.logWriteCounts(of: db)).pendingBytes == 0)
        }
        // Copies of the file and its log, read as a restarted process would: from the log's
        // frames and their checksums, with no shared memory to trust.
        let copy = fixture.directory.url.appendingPathComponent("copy")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        for suffix in ["", "-wal"] {
            try FileManager.default.copyItem(
                atPath: fixture.path + suffix, toPath: copy.appendingPathComponent("purser.db" + suffix).path)
        }
        let queue = try DatabaseQueue(path: copy.appendingPathComponent("purser.db").path)
        let (count, check) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM rewritten WHERE body = printf('%0600d', id)"),
                try String.fetchOne(db, sql: "PRAGMA integrity_check"))
        }
        #expect(count == rows)
        #expect(check == "ok")
    }
}
