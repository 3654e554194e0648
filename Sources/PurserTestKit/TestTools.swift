import Purser
import Synchronization

/// A tool that answers from a closure and remembers what it was called with.
public final class RecordingTool: Tool {
    public let name: String
    public let description: String
    public let argumentsSchema: JSONSchema
    private let body: @Sendable (JSONValue, Int) async throws -> JSONValue
    private let calls = Mutex<[JSONValue]>([])

    /// - Parameter body: gets the arguments and the 1-based call number.
    public init(
        name: String, schema: JSONSchema = .object(["text": .string(examples: ["hello"])]),
        description: String = "A tool for tests.",
        body: @escaping @Sendable (JSONValue, Int) async throws -> JSONValue = { arguments, _ in arguments }
    ) {
        self.name = name
        self.description = description
        self.argumentsSchema = schema
        self.body = body
    }

    public var invocations: [JSONValue] { calls.withLock { $0 } }

    public func invoke(_ arguments: JSONValue) async throws -> JSONValue {
        let number = calls.withLock { calls -> Int in
            calls.append(arguments)
            return calls.count
        }
        return try await body(arguments, number)
    }
}
