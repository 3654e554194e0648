import Foundation
internal import GRDB
import Testing

@testable import PurserSQLite

/// The ledger's hot statements bind through SQLite's C interface: every kind of value must
/// arrive as what GRDB would have stored, text as text (never NULL, never a blob), byte for byte.
@Suite("Raw statements")
struct RawStatementTests {
    /// Binds `value` into a one-column table and reads back its SQLite type and its bytes in
    /// hexadecimal (as SQLite's `hex()` gives them, so nothing on the way back can alter them).
    static func stored(_ value: RawStatement.Value) throws -> (type: String, hex: String) {
        let queue = try DatabaseQueue()
        return try queue.write { db in
            try db.execute(sql: "CREATE TABLE probe (value)")
            try RawStatement(db, "INSERT INTO probe (value) VALUES (?)").run([value])
            let row = try Row.fetchOne(db, sql: "SELECT typeof(value) AS type, hex(value) AS hex FROM probe")!
            return (row["type"], row["hex"])
        }
    }

    static func hex(_ text: String) -> String { text.utf8.map { String(format: "%02X", $0) }.joined() }

    @Test(arguments: ["", "plain", "héllo ✓ 漢字 🙂", "quote ' and \" and \\ and \u{0}nul", String(repeating: "x", count: 100_000)])
    func textIsStoredAsTextByteForByte(_ text: String) throws {
        let expected = (type: "text", hex: Self.hex(text))
        #expect(try Self.stored(.text(text)) == expected)
        #expect(try Self.stored(.utf8(Array(text.utf8))) == expected)
        #expect(try Self.stored(.utf8(Data(text.utf8))) == expected)
    }

    /// A buffer may have no address when it is empty; SQLite would store a null pointer as NULL.
    @Test func anEmptyBufferWithoutAnAddressIsStoredAsEmptyText() throws {
        #expect(try Self.stored(.utf8(UnsafeRawBufferPointer(start: nil, count: 0))) == ("text", ""))
    }

    @Test func aBridgedStringIsStoredLikeANativeOne() throws {
        let bridged = String(NSString(string: "bridged ✓"))
        #expect(try Self.stored(.text(bridged)) == ("text", Self.hex("bridged ✓")))
    }

    @Test func integersAndNullKeepTheirTypes() throws {
        #expect(try Self.stored(.integer(Int64.min)) == ("integer", Self.hex(String(Int64.min))))
        #expect(try Self.stored(.optional(nil as Int64?)).type == "null")
        #expect(try Self.stored(.optional(nil as String?)).type == "null")
    }

    @Test func aConstraintViolationThrowsAndTheStatementIsReusable() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE probe (value TEXT NOT NULL UNIQUE)")
            let insert = "INSERT INTO probe (value) VALUES (?)"
            try RawStatement(db, insert).run([.utf8(Array("once".utf8))])
            #expect(throws: DatabaseError.self) { try RawStatement(db, insert).run([.text("once")]) }
            try RawStatement(db, insert).run([.text("twice")])
            #expect(try String.fetchAll(db, sql: "SELECT value FROM probe ORDER BY value") == ["once", "twice"])
        }
    }
}
