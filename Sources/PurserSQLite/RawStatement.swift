import Foundation
internal import GRDB

#if canImport(GRDBSQLite)
    internal import GRDBSQLite
#else
    internal import SQLite3
#endif

/// Runs one of GRDB's cached prepared statements through SQLite's C interface directly, for
/// the few statements every reservation and every server run makes: binding plain integers,
/// strings and JSON bytes and reading integer columns this way costs a fraction of building
/// GRDB's argument and row values, and those costs were a large share of a reservation (and
/// they are paid on the writer's thread, which every write waits for). Everything else goes
/// through GRDB.
///
/// A statement is always reset after use, as GRDB expects to find it.
struct RawStatement {
    /// A value to bind.
    enum Value {
        case integer(Int64)
        case text(String)
        /// UTF-8 text as bytes (an encoder's JSON, a response body): bound as text without
        /// first becoming a `String`, which would copy and validate it.
        case utf8(any ContiguousBytes)
        case null
    }

    let statement: Statement
    let db: Database

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    /// Runs the statement to completion with `values` bound; `readRow` sees each result row.
    func run(_ values: [Value] = [], readRow: ((Row) -> Void)? = nil) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .null: code = sqlite3_bind_null(handle, index)
            case .text(var text):
                // A native string lends its own bytes; only a bridged one is copied first.
                code = text.withUTF8 { Self.bindText($0, at: index, of: handle) }
            case .utf8(let bytes):
                code = bytes.withUnsafeBytes { Self.bindText($0.bindMemory(to: UInt8.self), at: index, of: handle) }
            }
            guard code == SQLITE_OK else { throw error(code) }
        }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            readRow?(Row(handle: handle))
        }
    }

    /// Binds `bytes` as text; SQLITE_TRANSIENT makes SQLite copy them before this returns.
    private static func bindText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int32, of handle: OpaquePointer)
        -> Int32
    {
        // An empty buffer may have no address; SQLite reads a null pointer as NULL, not "".
        let empty: StaticString = ""
        return sqlite3_bind_text(
            handle, index, UnsafeRawPointer(bytes.baseAddress ?? empty.utf8Start).assumingMemoryBound(to: CChar.self),
            Int32(bytes.count), unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self))
    }

    /// The first row's integer columns (`nil` when there is no row).
    func integers(_ values: [Value] = []) throws -> [Int64]? {
        var result: [Int64]?
        try run(values) { row in
            if result == nil { result = (0..<row.count).map { row.integer($0) } }
        }
        return result
    }

    private func error(_ code: Int32) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code),
            message: sqlite3_errmsg(db.sqliteConnection).map { String(cString: $0) }, sql: statement.sql)
    }

    /// The current result row, valid until the next step.
    struct Row {
        let handle: OpaquePointer

        var count: Int { Int(sqlite3_column_count(handle)) }
        func integer(_ column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(column)) }
        func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }
        func text(_ column: Int) -> String {
            guard let bytes = sqlite3_column_text(handle, Int32(column)) else { return "" }
            let count = Int(sqlite3_column_bytes(handle, Int32(column)))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }
    }
}

extension RawStatement.Value {
    static func integer(_ value: Int) -> Self { .integer(Int64(value)) }
    static func optional(_ value: Int64?) -> Self { value.map { .integer($0) } ?? .null }
    static func optional(_ value: Int?) -> Self { value.map { .integer(Int64($0)) } ?? .null }
    static func optional(_ value: String?) -> Self { value.map { .text($0) } ?? .null }
}
