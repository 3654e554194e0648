/// How Purser reaches one model provider: `purser.yaml`'s `providers:` entries, keyed by the
/// name tiers give as their `provider`.
public struct ProviderConfiguration: Sendable, Hashable {
    /// The wire protocol: `openai` (chat completions, also vLLM, llama.cpp, Ollama) or `anthropic`.
    public var api: String
    /// The environment variable holding the API key; `nil` for a server that needs none.
    public var apiKeyVariable: String?
    /// Stream answers (the default): time to first token is measured and a cut stream still
    /// counts what arrived.
    public var stream: Bool
    /// `max_completion_tokens` (OpenAI's name) or `max_tokens` (older OpenAI-compatible servers).
    public var maxTokensField: String
    /// `json_schema` (OpenAI's, the default) or `json_object` (llama-cpp-python's, with the schema).
    public var jsonMode: String

    public static let apis = ["openai", "anthropic"]
    public static let maxTokensFields = ["max_completion_tokens", "max_tokens"]
    public static let jsonModes = ["json_schema", "json_object"]

    public init(
        api: String, apiKeyVariable: String? = nil, stream: Bool = true, maxTokensField: String = "max_completion_tokens",
        jsonMode: String = "json_schema"
    ) {
        self.api = api
        self.apiKeyVariable = apiKeyVariable
        self.stream = stream
        self.maxTokensField = maxTokensField
        self.jsonMode = jsonMode
    }

    /// What the names of the public APIs (as `tiers import litellm` writes them) mean when
    /// `providers:` does not say: their protocol, and the variable their own tools read the key from.
    public static let wellKnown: [String: ProviderConfiguration] = [
        "openai": ProviderConfiguration(api: "openai", apiKeyVariable: "OPENAI_API_KEY"),
        "anthropic": ProviderConfiguration(api: "anthropic", apiKeyVariable: "ANTHROPIC_API_KEY"),
        "mistral": ProviderConfiguration(api: "openai", apiKeyVariable: "MISTRAL_API_KEY"),
        "groq": ProviderConfiguration(api: "openai", apiKeyVariable: "GROQ_API_KEY"),
        "deepseek": ProviderConfiguration(api: "openai", apiKeyVariable: "DEEPSEEK_API_KEY"),
        "together_ai": ProviderConfiguration(api: "openai", apiKeyVariable: "TOGETHER_API_KEY"),
        "fireworks_ai": ProviderConfiguration(api: "openai", apiKeyVariable: "FIREWORKS_API_KEY"),
        "xai": ProviderConfiguration(api: "openai", apiKeyVariable: "XAI_API_KEY"),
        "openrouter": ProviderConfiguration(api: "openai", apiKeyVariable: "OPENROUTER_API_KEY"),
        "gemini": ProviderConfiguration(api: "openai", apiKeyVariable: "GEMINI_API_KEY"),
    ]
}
