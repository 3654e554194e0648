import Purser

/// The wire protocols Purser speaks to model providers.
public enum ProviderAPI: String, Sendable, Hashable, CaseIterable {
    /// `POST {endpoint}/chat/completions`: OpenAI, and the servers that copy it (vLLM,
    /// llama.cpp's server, Ollama, most hosting services).
    case openAIChat = "openai"
    /// `POST {endpoint}/messages` (endpoint `https://api.anthropic.com/v1`): Anthropic's Messages API.
    case anthropicMessages = "anthropic"
}

/// How one provider is reached: its protocol, where its API key comes from, and how to ask.
public struct ProviderSettings: Sendable, Hashable {
    public var api: ProviderAPI
    /// The environment variable holding the API key; `nil` for servers that need none (a local
    /// model). The key itself is never stored, logged or echoed in an error.
    public var apiKeyVariable: String?
    /// Stream answers (server-sent events): time to first token is measured, and a dropped
    /// stream still yields what arrived. Off, one JSON answer per call.
    public var stream: Bool
    /// The name of the output limit in OpenAI-style requests: `max_completion_tokens` (OpenAI's
    /// current name, needed by its reasoning models) or `max_tokens` (older servers).
    public var maxTokensField: String
    /// How an OpenAI-style request asks for JSON matching the step's schema.
    public var jsonMode: JSONMode

    public enum JSONMode: String, Sendable, Hashable, CaseIterable {
        /// `{"type": "json_schema", "json_schema": {"name", "schema"}}`: OpenAI, vLLM, Ollama.
        case jsonSchema = "json_schema"
        /// `{"type": "json_object", "schema": ...}`: llama-cpp-python's server, which takes no
        /// `json_schema` and constrains the output to the schema by grammar.
        case jsonObject = "json_object"
    }

    public init(
        api: ProviderAPI, apiKeyVariable: String? = nil, stream: Bool = true,
        maxTokensField: String = "max_completion_tokens", jsonMode: JSONMode = .jsonSchema
    ) {
        self.api = api
        self.apiKeyVariable = apiKeyVariable
        self.stream = stream
        self.maxTokensField = maxTokensField
        self.jsonMode = jsonMode
    }
}

/// What one call answered, assembled from a JSON answer or from a stream's events.
struct ProviderAnswer: Sendable, Hashable {
    var text = ""
    var toolCalls: [ToolCall] = []
    /// As the provider reported it; `nil` when it reported none.
    var usage: TokenUsage?
    /// Why the model stopped (`stop`, `length`, `tool_calls`, `end_turn`, ...).
    var stopReason: String?
}
