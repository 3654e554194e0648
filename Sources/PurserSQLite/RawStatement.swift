internal import GRDB

#if canImport(GRDBSQLite)
    internal import GRDBSQLite
#else
    internal import SQLite3
#endif

/// Runs one of GRDB's cached prepared statements through SQLite's C interface directly, for
/// the few statements every reservation runs: binding plain integers and strings and reading
/// integer columns this way costs a fraction of building GRDB's argument and row values, and
/// those costs were a large share of a reservation. Everything else goes through GRDB.
///
/// A statement is always reset after use, as GRDB expects to find it.
struct RawStatement {
    /// A value to bind.
    enum Value {
        case integer(Int64)
        case text(String)
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
            case .text(let text):
                code = text.utf8CString.withUnsafeBufferPointer { buffer in
                    // SQLITE_TRANSIENT: SQLite copies the text before this call returns.
                    sqlite3_bind_text(
                        handle, index, buffer.baseAddress, Int32(buffer.count - 1),
                        unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self))
                }
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
