/// A function an agent may call: a name, what it does, the schema of its arguments, and the call.
///
/// The engine checks the arguments against ``argumentsSchema`` before ``invoke(_:)`` runs,
/// so an implementation may rely on them being well-formed. Throw ``ToolError`` for a
/// failure a person (or a model) can act on.
///
/// ## Usage
///
/// ```swift
/// struct UppercaseTool: Tool {
///     let name = "uppercase"
///     let description = "Upper-cases a text."
///     let argumentsSchema = JSONSchema.object(["text": .string("The text to upper-case")])
///
///     func invoke(_ arguments: JSONValue) async throws -> JSONValue {
///         ["text": .string(arguments["text"]?.stringValue?.uppercased() ?? "")]
///     }
/// }
///
/// let engine = Engine(tools: [UppercaseTool()])
/// ```
public protocol Tool: Sendable {
    var name: String { get }
    var description: String { get }
    var argumentsSchema: JSONSchema { get }

    func invoke(_ arguments: JSONValue) async throws -> JSONValue

    /// True for a tool that computes its answer without waiting on anything (no I/O, bounded
    /// work), so it cannot outlive a timeout. The engine then calls it directly instead of
    /// racing it against its timeout in a child task, which costs tens of microseconds a call.
    var finishesPromptly: Bool { get }
}

extension Tool {
    public var finishesPromptly: Bool { false }

    /// The tool as a model is shown it.
    public var definition: ToolDefinition {
        ToolDefinition(name: name, description: description, parameters: argumentsSchema)
    }

    /// Checks `arguments` against the schema, then invokes the tool.
    public func validatedInvoke(_ arguments: JSONValue) async throws -> JSONValue {
        let problems = argumentsSchema.violations(of: arguments)
        guard problems.isEmpty else {
            throw ToolError.invalidArguments(tool: name, problems: problems)
        }
        return try await invoke(arguments)
    }
}

/// A tool call that failed.
public struct ToolError: Error, Sendable, Hashable, CustomStringConvertible {
    public var tool: String
    public var message: String
    /// Whether calling again with the same arguments may succeed (a network blip, say).
    public var isRetryable: Bool

    public init(tool: String, message: String, isRetryable: Bool = false) {
        self.tool = tool
        self.message = message
        self.isRetryable = isRetryable
    }

    public static func invalidArguments(tool: String, problems: [String]) -> ToolError {
        ToolError(tool: tool, message: "invalid arguments: " + problems.joined(separator: "; "))
    }

    public var description: String { "tool '\(tool)' failed: \(message)" }
}
