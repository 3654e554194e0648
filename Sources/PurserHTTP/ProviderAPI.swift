import Purser

/// The wire protocols Purser speaks to model providers.
public enum ProviderAPI: String, Sendable, Hashable, CaseIterable {
    /// `POST {endpoint}/chat/completions`: OpenAI, and the servers that copy it (vLLM,
    /// llama.cpp's server, Ollama, most hosting services).
    case openAIChat = "openai"
    /// `POST {endpoint}/messages` (endpoint `https://api.anthropic.com/v1`): Anthropic's Messages API.
    case anthropicMessages = "anthropic"

    /// How this protocol writes requests and reads answers.
    var wire: any WireProtocol.Type {
        switch self {
        case .openAIChat: OpenAIChat.self
        case .anthropicMessages: AnthropicMessages.self
        }
    }
}

/// One wire protocol: where a request goes, how it is written, and how answers, streams and
/// refusals are read. ``HTTPModelProvider`` does the HTTP and the accounting for both.
protocol WireProtocol {
    associatedtype Stream: StreamAssembler
    /// Appended to the tier's endpoint.
    static var path: String { get }
    static func headers(apiKey: String?) -> [(String, String)]
    static func body(for request: ModelRequest, tier: Tier, settings: ProviderSettings) -> JSONValue
    /// A whole (non-streamed) answer.
    static func answer(from json: JSONValue) throws(ProviderError) -> ProviderAnswer
    /// A refused call: its status and body, as the kind of error it means.
    static func failure(status: Int, body: String, retryAfter: Double?) -> ProviderError
}

/// Assembles one streamed answer from its server-sent events, as they arrive.
protocol StreamAssembler: Sendable {
    init()
    /// The stream said it is complete; a stream that ends otherwise was cut.
    var done: Bool { get }
    /// Answer text or a tool call has arrived (the first token, for latency).
    var hasContent: Bool { get }
    /// Everything the model wrote so far, tool input included: what a cut stream is counted by.
    var textSoFar: String { get }
    /// The prompt's tokens, when the provider reports them before the answer: billed even if
    /// the stream is cut.
    var reportedInputTokens: TokenUsage? { get }
    mutating func feed(_ event: ServerSentEvent) throws(ProviderError)
    /// The answer, once the stream is done.
    func finish() throws(ProviderError) -> ProviderAnswer
}

/// A token count or index in a provider's JSON: absent is `nil`; present, it must be a whole
/// number from 0 to 2^53, or the answer is malformed (a bad count must not crash or be settled).
func count(_ value: JSONValue?, _ name: String) throws(ProviderError) -> Int? {
    guard let value, !value.isNull else { return nil }
    guard let number = value.numberValue, number >= 0, number <= 9_007_199_254_740_992, number.rounded() == number
    else { throw ProviderError(.malformedResponse, "\(name) is not a whole number from 0 up: \(value.compactJSON)") }
    return Int(number)
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
