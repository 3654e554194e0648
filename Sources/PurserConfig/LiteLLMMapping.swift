import Purser

/// How a LiteLLM price-map entry becomes a tier where the map says nothing directly: which
/// protocol and endpoint serve it, where it runs, how deep it reasons, how fast it is.
///
/// These are documented heuristics (see the README's tier catalog section); the imported
/// YAML is meant to be read and edited, and the router learns real latencies at run time.
enum LiteLLMMapping {
    // MARK: Provider and endpoint

    /// LiteLLM providers whose chat API is OpenAI-compatible, with its base URL.
    static let openAICompatibleEndpoints: [String: String] = [
        "openai": "https://api.openai.com/v1",
        "mistral": "https://api.mistral.ai/v1",
        "groq": "https://api.groq.com/openai/v1",
        "deepseek": "https://api.deepseek.com/v1",
        "together_ai": "https://api.together.xyz/v1",
        "fireworks_ai": "https://api.fireworks.ai/inference/v1",
        "xai": "https://api.x.ai/v1",
        "openrouter": "https://openrouter.ai/api/v1",
        "gemini": "https://generativelanguage.googleapis.com/v1beta/openai",
    ]

    /// The provider name (`Tier.provider`, LiteLLM's) and endpoint for a LiteLLM provider.
    /// Each host keeps its own name, so each has its own key (``ProviderConfiguration/wellKnown``);
    /// providers Purser has no protocol for get no endpoint, so they stand out.
    static func provider(forLiteLLM name: String) -> (provider: String, endpoint: String?) {
        if name == "anthropic" { return ("anthropic", "https://api.anthropic.com/v1") }
        if let endpoint = openAICompatibleEndpoints[name] { return (name, endpoint) }
        return (name, nil)
    }

    /// The key without its leading `provider/` (`gemini/gemini-2.5-flash` → `gemini-2.5-flash`).
    ///
    /// The prefix counts as the provider's when it names it, or the family it belongs to
    /// (`vertex_ai/...` for `vertex_ai-anthropic_models`, `bedrock/...` for `bedrock_converse`).
    static func model(forKey key: String, litellmProvider: String) -> String {
        guard let slash = key.firstIndex(of: "/") else { return key }
        func normalized(_ text: some StringProtocol) -> String {
            text.lowercased().replacingOccurrences(of: "-", with: "_")
        }
        let prefix = normalized(key[..<slash])
        let provider = normalized(litellmProvider)
        guard !prefix.isEmpty, provider == prefix || provider.hasPrefix(prefix + "_") else { return key }
        return String(key[key.index(after: slash)...])
    }

    /// `key` lowercased, with every character outside `a-z 0-9 . - _ :` replaced by `-`.
    static func id(forKey key: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_:")
        return String(key.lowercased().map { allowed.contains($0) ? $0 : "-" })
    }

    // MARK: Jurisdiction

    /// Where the entry runs: the first region marker among the key's segments (split at `/`,
    /// `.`, `:` and `@`), else the provider's home (Mistral: `eu`; everyone else: `us`).
    ///
    /// Markers: `uk`, `eu-west-2*` and `europe-west2*` (London) → `uk`; `eu`, `eu-*`, `europe-*` → `eu`;
    /// `us`, `us-*` → `us`; `apac`, `ap-*`, `asia-*` → `apac`; `au`, `australia-*` → `au`; `jp` → `jp`;
    /// `global` (cross-region routing) → `global`; cloud regions `ca-*`/`northamerica-*` → `ca`,
    /// `sa-*`/`southamerica-*` → `sa`, `me-*` → `me`.
    static func jurisdiction(forKey key: String, litellmProvider: String) -> Jurisdiction {
        let segments = key.lowercased().split { "/.:@".contains($0) }
        for segment in segments {
            if let region = region(of: segment) { return region }
        }
        return litellmProvider == "mistral" ? .eu : .us
    }

    private static func region(of segment: Substring) -> Jurisdiction? {
        switch segment {
        case "uk": return .uk
        case "eu": return .eu
        case "us": return .us
        case "apac": return "apac"
        case "au": return "au"
        case "jp": return "jp"
        case "global": return "global"
        default: break
        }
        func starts(_ prefixes: String...) -> Bool { prefixes.contains { segment.hasPrefix($0) } }
        if starts("eu-west-2", "europe-west2", "uk-") { return .uk }
        if starts("eu-", "europe-") { return .eu }
        if starts("us-") { return .us }
        if starts("ap-", "asia-") { return "apac" }
        if starts("australia-") { return "au" }
        // Short prefixes only when the segment looks like a cloud region (`ca-central-1`).
        guard looksLikeRegion(segment) else { return nil }
        if starts("ca-", "northamerica-") { return "ca" }
        if starts("sa-", "southamerica-") { return "sa" }
        if starts("me-") { return "me" }
        return nil
    }

    /// `ca-central-1`, `me-central1`, `sa-east-1a`: lowercase words and a number, dash-joined.
    private static func looksLikeRegion(_ segment: Substring) -> Bool {
        guard segment.contains("-"), segment.allSatisfy({ $0 == "-" || ("a"..."z").contains($0) || ("0"..."9").contains($0) })
        else { return false }
        let trimmed = segment.last.map { ("a"..."z").contains($0) } == true ? segment.dropLast() : segment
        return trimmed.last.map { ("0"..."9").contains($0) } == true
    }

    // MARK: Reasoning depth and latency

    /// `supports_reasoning` → `high`; otherwise the output price stands in for capability:
    /// at least $8 per million output tokens → `medium`, at least $1 → `low`, else `none`.
    static func reasoningDepth(supportsReasoning: Bool, outputPerMillion: Money) -> ReasoningDepth {
        if supportsReasoning { return .high }
        if outputPerMillion >= Money(units: 8) { return .medium }
        if outputPerMillion >= Money(units: 1) { return .low }
        return .none
    }

    /// A starting guess, since the price map has no latencies: reasoning models think before
    /// answering (2 s / 8 s to first token, 60 tokens/s); others by output price, cheaper
    /// being smaller and faster (< $1: 0.3 s / 0.9 s, 150/s; < $8: 0.5 s / 1.5 s, 90/s;
    /// else 0.8 s / 2.5 s, 60/s). The router replaces them with what it observes.
    static func latencyPrior(supportsReasoning: Bool, outputPerMillion: Money) -> LatencyModel {
        if supportsReasoning {
            return LatencyModel(timeToFirstTokenP50: 2, timeToFirstTokenP95: 8, outputTokensPerSecond: 60)
        }
        if outputPerMillion < Money(units: 1) {
            return LatencyModel(timeToFirstTokenP50: 0.3, timeToFirstTokenP95: 0.9, outputTokensPerSecond: 150)
        }
        if outputPerMillion < Money(units: 8) {
            return LatencyModel(timeToFirstTokenP50: 0.5, timeToFirstTokenP95: 1.5, outputTokensPerSecond: 90)
        }
        return LatencyModel(timeToFirstTokenP50: 0.8, timeToFirstTokenP95: 2.5, outputTokensPerSecond: 60)
    }

    /// A batch tier answers within hours: an hour to first token typically, twelve at p95.
    static func batchLatency(from realtime: LatencyModel) -> LatencyModel {
        LatencyModel(
            timeToFirstTokenP50: 3600, timeToFirstTokenP95: 43_200,
            outputTokensPerSecond: realtime.outputTokensPerSecond)
    }
}
