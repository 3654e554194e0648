import Foundation
import Purser

extension JSONValue {
    /// Any `Encodable` as a `JSONValue`, through Foundation's encoder (dates as ISO 8601).
    static func encoding(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(value)
        return try JSONValue(parsing: String(decoding: data, as: UTF8.self))
    }
}
