import Hummingbird
import NIOCore
import Purser

/// Reads a request's JSON body strictly. Every way a body can be wrong gets its own problem
/// code and a detail naming the place: too large (413), not UTF-8, not JSON (with the byte
/// offset), not an object, an unknown or missing field, a wrong type, a number out of range.
enum JSONRequest {
    /// The body as a JSON object. An empty body is an empty object when `emptyIsObject`.
    static func object(
        _ request: Request, limit: Int, emptyIsObject: Bool = false
    ) async throws(APIProblem) -> JSONFields {
        if let type = request.headers[.contentType] {
            let mediaType = type.split(separator: ";").first.map { $0.trimmingOptionalWhitespace().lowercased() }
            guard mediaType == "application/json" else {
                throw APIProblem(
                    .unsupportedMediaType, code: "unsupported_media_type",
                    "the body must be application/json, not \(type)")
            }
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIProblem(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIProblem(.contentTooLarge, code: "body_too_large", "the body is larger than \(limit) bytes")
        } catch {
            throw APIProblem.badRequest("unreadable_body", "the body could not be read: \(error)")
        }
        let bytes = buffer.readableBytesView
        if bytes.isEmpty {
            guard emptyIsObject else { throw APIProblem.badRequest("missing_body", "the request needs a JSON object body") }
            return JSONFields([:], path: "$")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw APIProblem.badRequest("invalid_utf8", "the body is not valid UTF-8")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: text)
        } catch {
            throw APIProblem.badRequest("invalid_json", "the body is not valid JSON: \(error.description)")
        }
        guard case .object(let members) = value else {
            throw APIProblem.badRequest("wrong_type", "the body must be a JSON object, got \(value.kindName)", pointer: "$")
        }
        return JSONFields(members, path: "$")
    }
}

/// The members of one JSON object, read by name, each read checking its type. `known` lists
/// the members the reader expects; any other is an error, so a misspelt optional field is
/// reported instead of silently ignored.
struct JSONFields {
    let members: [String: JSONValue]
    let path: String

    init(_ members: [String: JSONValue], path: String) {
        self.members = members
        self.path = path
    }

    func rejectUnknown(known: Set<String>) throws(APIProblem) {
        for key in members.keys.sorted() where !known.contains(key) {
            throw APIProblem.badRequest(
                "unknown_field",
                "unknown field '\(key)' at \(path); expected \(known.sorted().joined(separator: ", "))",
                pointer: pointer(key))
        }
    }

    func pointer(_ key: String) -> String { "\(path).\(key)" }

    /// The member, or `nil` when absent or JSON null.
    func value(_ key: String) -> JSONValue? {
        guard let value = members[key], value != .null else { return nil }
        return value
    }

    func required(_ key: String) throws(APIProblem) -> JSONValue {
        guard let value = value(key) else {
            throw APIProblem.badRequest("missing_field", "missing required field '\(key)' at \(path)", pointer: pointer(key))
        }
        return value
    }

    func string(_ key: String) throws(APIProblem) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", got: value) }
        return text
    }

    func requiredString(_ key: String) throws(APIProblem) -> String {
        guard let text = try string(key) else { _ = try required(key); return "" }
        return text
    }

    func bool(_ key: String) throws(APIProblem) -> Bool? {
        guard let value = value(key) else { return nil }
        guard case .bool(let flag) = value else { throw wrongType(key, expected: "true or false", got: value) }
        return flag
    }

    /// A whole number in `range`; JSON numbers are doubles, so only integers up to 2^53 are exact.
    func integer(_ key: String, in range: ClosedRange<Int>) throws(APIProblem) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else { throw wrongType(key, expected: "an integer", got: value) }
        guard number.rounded() == number, abs(number) <= 9_007_199_254_740_992 else {
            throw APIProblem.badRequest(
                "wrong_type", "'\(key)' at \(path) must be a whole number, got \(number)", pointer: pointer(key))
        }
        let integer = Int(number)
        guard range.contains(integer) else {
            throw APIProblem.badRequest(
                "out_of_range", "'\(key)' at \(path) must be between \(range.lowerBound) and \(range.upperBound), got \(integer)",
                pointer: pointer(key))
        }
        return integer
    }

    func object(_ key: String) throws(APIProblem) -> JSONFields? {
        guard let value = value(key) else { return nil }
        guard case .object(let members) = value else { throw wrongType(key, expected: "an object", got: value) }
        return JSONFields(members, path: pointer(key))
    }

    /// An object whose values are all strings (tags).
    func stringMap(_ key: String) throws(APIProblem) -> [String: String]? {
        guard let fields = try object(key) else { return nil }
        var map: [String: String] = [:]
        for (name, value) in fields.members {
            guard case .string(let text) = value else {
                throw fields.wrongType(name, expected: "a string", got: value)
            }
            map[name] = text
        }
        return map
    }

    func wrongType(_ key: String, expected: String, got value: JSONValue) -> APIProblem {
        APIProblem.badRequest(
            "wrong_type", "'\(key)' at \(path) must be \(expected), got \(value.kindName)", pointer: pointer(key))
    }
}

extension JSONValue {
    /// The JSON type's name, for errors.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
