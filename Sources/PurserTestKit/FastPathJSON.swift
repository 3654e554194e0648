import Purser

/// `value`'s JSON as the streaming encoder writes it with its fast paths (types that write
/// their own bytes) and without them (every value through `Codable`), with each date strategy:
/// a fast path must write exactly what its type's `Codable` conformance writes, and tests in
/// every module that adds one compare the two.
public func jsonWithAndWithoutFastPaths(_ value: some Encodable) throws
    -> [(strategy: StreamingJSONEncoder.DateStrategy, fast: String, codable: String)]
{
    try [StreamingJSONEncoder.DateStrategy.deferredToDate, .iso8601].map { strategy in
        var fast = StreamingJSONEncoder(dateStrategy: strategy)
        fast.fastPaths = true
        var codable = StreamingJSONEncoder(dateStrategy: strategy)
        codable.fastPaths = false
        return (
            strategy, String(decoding: try fast.encodeBytes(value), as: UTF8.self),
            String(decoding: try codable.encodeBytes(value), as: UTF8.self)
        )
    }
}
