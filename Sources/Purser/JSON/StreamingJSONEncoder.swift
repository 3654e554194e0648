import Foundation

/// Encodes `Encodable` values to JSON by writing bytes as the values are visited.
///
/// Why not Foundation's `JSONEncoder`: it builds a tree of boxed values first, checking every
/// value's type dynamically on the way, then serialises the tree. For the records a run writes on
/// its hot path (step records with their explained routing decisions, run summaries, the answer
/// a server sends) that was a quarter of a server's CPU. This writer produces the same JSON
/// values (decoded by `JSONDecoder` to equal values; tests check so) in one pass.
///
/// Keys come out in the order the value encodes them. Containers are closed lazily: a container
/// is finished when its parent writes its next element, or when encoding ends, which is what
/// lets nested containers (`nestedContainer(keyedBy:forKey:)`) work without a tree.
public struct StreamingJSONEncoder: Sendable {
    /// How `Date` values are written; the two that Purser's readers decode.
    public enum DateStrategy: Sendable {
        /// Seconds since 2001-01-01 as a number: `JSONDecoder`'s default.
        case deferredToDate
        /// ISO 8601 in UTC, whole seconds (`2026-11-29T15:18:32Z`): `.iso8601`'s format.
        case iso8601
    }

    public var dateStrategy: DateStrategy
    /// Whether ``JSONFastEncodable`` types write themselves; off only in the tests that check
    /// they write what their `Codable` conformance does.
    package var fastPaths = true

    public init(dateStrategy: DateStrategy = .deferredToDate) {
        self.dateStrategy = dateStrategy
    }

    public func encode(_ value: some Encodable) throws -> Data {
        Data(try encodeBytes(value))
    }

    public func encodeBytes(_ value: some Encodable) throws -> [UInt8] {
        let sink = JSONByteSink(dateStrategy: dateStrategy)
        sink.fastPaths = fastPaths
        try sink.writeValue(value, depth: 0)
        sink.close(downTo: 0)
        return sink.bytes
    }
}

/// The bytes written so far and the containers still open.
///
/// A sink lives for one `encode` call on one thread, and nothing it holds is reached any other
/// way, so its mutable properties opt out of the runtime's exclusivity checks: every append
/// paid for one (a thread-local lookup and a set insertion), and they came to a sixth of the
/// time spent encoding a run's records.
package final class JSONByteSink {
    @exclusivity(unchecked) var bytes: [UInt8] = []
    /// Open containers, outermost first: whether each is an object, and whether it has an element.
    @exclusivity(unchecked) private var open: [(isObject: Bool, hasElements: Bool)] = []
    let dateStrategy: StreamingJSONEncoder.DateStrategy
    /// The keys from the document's root to the value being written. A stack rather than an
    /// array copied into every nested encoder: building those copies cost more than the writing.
    /// (Values inside a `nestedContainer` see their container's path without its own key.)
    @exclusivity(unchecked) var path: [any CodingKey] = []
    var fastPaths = true

    init(dateStrategy: StreamingJSONEncoder.DateStrategy) {
        self.dateStrategy = dateStrategy
        bytes.reserveCapacity(1024)
    }

    var openCount: Int { open.count }

    func openContainer(object: Bool) {
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        open.append((object, false))
    }

    /// Closes every container at `depth` or deeper.
    func close(downTo depth: Int) {
        while open.count > depth {
            bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// Starts the next element of the container at `depth`: closes what an earlier element left
    /// open, and writes the separator.
    func beginElement(at depth: Int) {
        close(downTo: depth + 1)
        if open[depth].hasElements { bytes.append(UInt8(ascii: ",")) } else { open[depth].hasElements = true }
    }

    func writeKey(_ key: String) {
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    func writeNull() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    func writeBool(_ value: Bool) {
        if value { bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65]) } else { bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65]) }
    }

    /// Digit by digit, without a `String` in between (token counts and ids fill a run's records).
    func writeInteger(_ value: some BinaryInteger) {
        if let value = Int64(exactly: value) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            bytes.appendDecimal(value.magnitude, width: 1)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// The shortest text that reads back as `value`, without a trailing `.0`, as `JSONEncoder`.
    func writeFloatingPoint<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value, .init(codingPath: path, debugDescription: "\(value) is not a number JSON can hold"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<utf8.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    func writeDate(_ date: Date) throws {
        switch dateStrategy {
        case .deferredToDate: try writeFloatingPoint(date.timeIntervalSinceReferenceDate)
        case .iso8601: writeISO8601(date)
        }
    }

    /// `Money.description`, quoted (`"0.000015"`, `"-3.50"`), written straight into the bytes:
    /// a run's records hold a few dozen amounts.
    func writeMoney(_ money: Money) {
        bytes.append(UInt8(ascii: "\""))
        money.appendText(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"yyyy-MM-ddTHH:mm:ssZ"` in UTC, as `ISO8601DateFormatter`'s default writes it, written
    /// digit by digit (a year before 1 CE, which no run has, gets a minus sign).
    func writeISO8601(_ date: Date) {
        let time = Self.civilTime(date)
        bytes.append(UInt8(ascii: "\""))
        if time.year < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.appendDecimal(time.year.magnitude, width: 4)
        appendTwoDigits(after: "-", time.month)
        appendTwoDigits(after: "-", time.day)
        appendTwoDigits(after: "T", time.secondOfDay / 3600)
        appendTwoDigits(after: ":", time.secondOfDay / 60 % 60)
        appendTwoDigits(after: ":", time.secondOfDay % 60)
        bytes.append(contentsOf: [UInt8(ascii: "Z"), UInt8(ascii: "\"")])
    }

    private func appendTwoDigits(after separator: Unicode.Scalar, _ value: Int64) {
        bytes.append(UInt8(ascii: separator))
        bytes.appendDecimal(UInt64(value), width: 2)
    }

    /// The UTC calendar date and second of the day of `date`, to the whole second below.
    private static func civilTime(_ date: Date) -> (year: Int64, month: Int64, day: Int64, secondOfDay: Int64) {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay)
    }

    /// Writes any value: the types JSON writes directly, the Foundation types `JSONEncoder`
    /// writes specially, and anything else through its `encode(to:)`.
    func writeValue<T: Encodable>(_ value: T, depth: Int) throws {
        // Metatype comparisons first: cheap for the structs that make up most of a document,
        // where a chain of dynamic casts is not.
        if T.self == String.self {
            writeString(value as! String)
        } else if T.self == Int.self {
            writeInteger(value as! Int)
        } else if T.self == Double.self {
            try writeFloatingPoint(value as! Double)
        } else if T.self == Bool.self {
            writeBool(value as! Bool)
        } else if T.self == Date.self {
            try writeDate(value as! Date)
        } else if T.self == URL.self {
            writeString((value as! URL).absoluteString)
        } else if T.self == Data.self {
            writeString((value as! Data).base64EncodedString())
        } else if T.self == Decimal.self {
            bytes.append(contentsOf: (value as! Decimal).description.utf8)
        } else if T.self == Money.self {
            writeMoney(value as! Money)
        } else if T.self == RunID.self {
            writeString((value as! RunID).rawValue)
        } else if fastPaths, let fast = value as? any JSONFastEncodable {
            try fast.writeJSON(to: self)
        } else {
            try writeCodable(value, depth: depth)
        }
    }

    /// Writes `value` through its `encode(to:)`.
    func writeCodable<T: Encodable>(_ value: T, depth: Int? = nil) throws {
        let depth = depth ?? openCount
        do {
            let before = bytes.count
            try value.encode(to: StreamingEncoder(sink: self, depth: depth))
            close(downTo: depth)
            // A value that encoded nothing is an empty object, as with `JSONEncoder`.
            if bytes.count == before { bytes.append(contentsOf: [UInt8(ascii: "{"), UInt8(ascii: "}")]) }
        }
    }
}

/// The `Encoder` a value sees; containers it opens sit at `depth` in the sink's stack.
struct StreamingEncoder: Encoder {
    let sink: JSONByteSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A second request for the same encoder's container continues the one already open.
        if sink.openCount <= depth { sink.openContainer(object: true) }
        return KeyedEncodingContainer(StreamingKeyedContainer<Key>(sink: sink, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if sink.openCount <= depth { sink.openContainer(object: false) }
        return StreamingUnkeyedContainer(sink: sink, depth: depth)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        StreamingSingleValueContainer(sink: sink, depth: depth)
    }
}

struct StreamingKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let sink: JSONByteSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path }

    private func begin(_ key: Key) {
        sink.beginElement(at: depth)
        sink.writeKey(key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws {
        begin(key)
        sink.writeNull()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        begin(key)
        sink.writeBool(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        begin(key)
        sink.writeString(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        begin(key)
        sink.path.append(key)
        defer { sink.path.removeLast() }
        try sink.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        begin(key)
        sink.path.append(key)
        defer { sink.path.removeLast() }
        try sink.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { begin(key); sink.writeInteger(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { begin(key); sink.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        begin(key)
        sink.path.append(key)
        defer { sink.path.removeLast() }
        try sink.writeValue(value, depth: depth + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        begin(key)
        sink.openContainer(object: true)
        return KeyedEncodingContainer(
            StreamingKeyedContainer<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        begin(key)
        sink.openContainer(object: false)
        return StreamingUnkeyedContainer(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(forKey: Key(stringValue: "super")!)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        begin(key)
        return StreamingEncoder(sink: sink, depth: depth + 1)
    }
}

struct StreamingUnkeyedContainer: UnkeyedEncodingContainer {
    let sink: JSONByteSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path }
    private(set) var count = 0

    init(sink: JSONByteSink, depth: Int) {
        self.sink = sink
        self.depth = depth
    }

    private mutating func begin() {
        sink.beginElement(at: depth)
        count += 1
    }

    mutating func encodeNil() throws {
        begin()
        sink.writeNull()
    }

    mutating func encode(_ value: Bool) throws {
        begin()
        sink.writeBool(value)
    }

    mutating func encode(_ value: String) throws {
        begin()
        sink.writeString(value)
    }

    mutating func encode(_ value: Double) throws {
        begin()
        try sink.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Float) throws {
        begin()
        try sink.writeFloatingPoint(value)
    }

    mutating func encode(_ value: Int) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { begin(); sink.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { begin(); sink.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        begin()
        try sink.writeValue(value, depth: depth + 1)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        begin()
        sink.openContainer(object: true)
        return KeyedEncodingContainer(StreamingKeyedContainer<NestedKey>(sink: sink, depth: depth + 1))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        begin()
        sink.openContainer(object: false)
        return StreamingUnkeyedContainer(sink: sink, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        begin()
        return StreamingEncoder(sink: sink, depth: depth + 1)
    }
}

/// A single value's container writes in place: the value belongs to whatever element its
/// parent already began (or is the whole document).
struct StreamingSingleValueContainer: SingleValueEncodingContainer {
    let sink: JSONByteSink
    let depth: Int
    var codingPath: [any CodingKey] { sink.path }

    mutating func encodeNil() throws { sink.writeNull() }
    mutating func encode(_ value: Bool) throws { sink.writeBool(value) }
    mutating func encode(_ value: String) throws { sink.writeString(value) }
    mutating func encode(_ value: Double) throws { try sink.writeFloatingPoint(value) }
    mutating func encode(_ value: Float) throws { try sink.writeFloatingPoint(value) }
    mutating func encode(_ value: Int) throws { sink.writeInteger(value) }
    mutating func encode(_ value: Int8) throws { sink.writeInteger(value) }
    mutating func encode(_ value: Int16) throws { sink.writeInteger(value) }
    mutating func encode(_ value: Int32) throws { sink.writeInteger(value) }
    mutating func encode(_ value: Int64) throws { sink.writeInteger(value) }
    mutating func encode(_ value: UInt) throws { sink.writeInteger(value) }
    mutating func encode(_ value: UInt8) throws { sink.writeInteger(value) }
    mutating func encode(_ value: UInt16) throws { sink.writeInteger(value) }
    mutating func encode(_ value: UInt32) throws { sink.writeInteger(value) }
    mutating func encode(_ value: UInt64) throws { sink.writeInteger(value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try sink.writeValue(value, depth: depth)
    }
}
