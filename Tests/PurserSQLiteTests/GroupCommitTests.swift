import Foundation
internal import GRDB
import Testing

@testable import PurserSQLite

/// The ledger's writes share transactions when they come together, and the writer hands them
/// to its own thread while they do; written alone, they run on the caller's thread again. In
/// both ways, an operation that throws leaves nothing behind and takes nothing else with it.
@Suite("Group commit")
struct GroupCommitTests {
    struct Refused: Error {}

    static func write(_ value: Int, on ledger: SQLiteLedger, fails: Bool = false) async throws {
        try await ledger.writeImmediately { db in
            try db.execute(sql: "INSERT INTO probe (value) VALUES (?)", arguments: [value])
            if fails { throw Refused() }
        }
    }

    static func values(in ledger: SQLiteLedger) async throws -> [Int] {
        try await ledger.pool.read { try Int.fetchAll($0, sql: "SELECT value FROM probe ORDER BY value") }
    }

    @Test func writesTogetherAreHandedOverAndWritesAloneAreNot() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await ledger.writeImmediately { db in try db.execute(sql: "CREATE TABLE probe (value INTEGER NOT NULL)") }
        #expect(!ledger.batcher.handsOperationsOver)

        // Many at once, every seventh refused: the refused ones leave nothing, the rest are all kept.
        var handedOver = false
        for round in 0..<20 where !handedOver {
            let results = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<64 {
                    let value = round * 64 + index
                    group.addTask { (try? await Self.write(value, on: ledger, fails: value % 7 == 0)) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == (0..<64).filter { (round * 64 + $0) % 7 != 0 }.count)
            handedOver = ledger.batcher.handsOperationsOver
        }
        #expect(handedOver, "64 writes at once never shared a commit")
        let together = try await Self.values(in: ledger)
        #expect(together.allSatisfy { $0 % 7 != 0 })

        // One at a time again: the writer stops handing them over, and still refuses cleanly.
        for value in 100_000..<100_040 {
            try? await Self.write(value, on: ledger, fails: value % 7 == 0)
        }
        #expect(!ledger.batcher.handsOperationsOver)
        let alone = try await Self.values(in: ledger).filter { $0 >= 100_000 }
        #expect(alone == (100_000..<100_040).filter { $0 % 7 != 0 })
    }

    /// A batch runs without savepoints and, when one of its operations throws, runs again with
    /// them: what every kept operation saw (and returned) is then what the committed table
    /// holds, as if the refused ones had never run.
    @Test func operationsAfterARefusedOneSeeOnlyWhatWasKept() async throws {
        let fixture = try LedgerFixture()
        let ledger = fixture.ledger
        try await ledger.writeImmediately { db in try db.execute(sql: "CREATE TABLE probe (value INTEGER NOT NULL)") }
        var sawABatch = false
        for round in 0..<20 where !sawABatch {
            let seen = await withTaskGroup(of: Int?.self) { group in
                for index in 0..<48 {
                    let refused = index % 5 == 2
                    group.addTask {
                        try? await ledger.writeImmediately { db -> Int in
                            try db.execute(sql: "INSERT INTO probe (value) VALUES (?)", arguments: [round * 100 + index])
                            if refused { throw Refused() }
                            return try Int.fetchOne(db, sql: "SELECT count(*) FROM probe WHERE value >= ?", arguments: [round * 100]) ?? -1
                        }
                    }
                }
                return await group.reduce(into: [Int]()) { if let count = $1 { $0.append(count) } }
            }
            let kept = (0..<48).filter { $0 % 5 != 2 }.count
            // Each kept write saw itself and the kept writes before it, and nothing refused.
            #expect(seen.sorted() == Array(1...kept))
            let stored = try await ledger.pool.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM probe WHERE value >= ?", arguments: [round * 100])
            }
            #expect(stored == kept)
            sawABatch = ledger.batcher.handsOperationsOver
        }
        #expect(sawABatch, "48 writes at once never shared a commit")
    }
}
