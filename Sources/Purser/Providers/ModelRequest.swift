/// One call to a model: what to send, and how much it may answer.
public struct ModelRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var tools: [ToolDefinition]
    public var maxOutputTokens: Int
    /// How hard a reasoning tier should think; `.none` for tiers that don't reason.
    public var reasoningEffort: ReasoningDepth
    /// When set, the answer must be JSON conforming to this schema.
    public var outputSchema: JSONSchema?
    /// How long the call may take. Providers that ``ModelProvider/enforcesTimeout`` give up after
    /// this long with a ``ProviderError`` of kind `timeout`; for others the engine enforces it.
    public var timeout: Duration?

    public init(
        messages: [ChatMessage], tools: [ToolDefinition] = [], maxOutputTokens: Int,
        reasoningEffort: ReasoningDepth = .none, outputSchema: JSONSchema? = nil, timeout: Duration? = nil
    ) {
        self.messages = messages
        self.tools = tools
        self.maxOutputTokens = maxOutputTokens
        self.reasoningEffort = reasoningEffort
        self.outputSchema = outputSchema
        self.timeout = timeout
    }
}

/// A message in a chat with a model.
public struct ChatMessage: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant, tool
    }

    public var role: Role
    public var content: String
    /// Calls the assistant asked for (assistant messages only).
    public var toolCalls: [ToolCall]
    /// The call this message answers (tool messages only).
    public var toolCallID: String?

    public init(role: Role, content: String, toolCalls: [ToolCall] = [], toolCallID: String? = nil) {
        self.role = role
        self.content = content
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
}

/// A tool as a model sees it.
public struct ToolDefinition: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var parameters: JSONSchema

    public init(name: String, description: String, parameters: JSONSchema) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

/// A model's request to run a tool.
public struct ToolCall: Sendable, Hashable, Codable {
    public var id: String
    public var name: String
    public var arguments: JSONValue

    public init(id: String, name: String, arguments: JSONValue) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}
