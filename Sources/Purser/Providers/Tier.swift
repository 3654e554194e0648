/// One model a step can be routed to, with what it costs, how fast it is and where it runs.
public struct Tier: Sendable, Hashable, Codable, Identifiable {
    public var id: String
    /// Which ``ModelProvider`` serves it (`simulator`, `openai`, `anthropic`, ...).
    public var provider: String
    /// Where the provider's API is (`https://api.openai.com/v1`); `nil` for the provider's default.
    public var endpoint: String?
    /// The provider's model name.
    public var model: String
    public var pricing: Pricing
    public var latency: LatencyModel
    public var reasoningDepth: ReasoningDepth
    public var contextWindow: Int
    public var maxOutputTokens: Int
    public var capabilities: Set<Capability>
    public var jurisdiction: Jurisdiction
    /// Calls this tier may have in flight at once, across all runs; `nil` for no limit.
    public var concurrencyLimit: Int?
    /// Served through the provider's batch API: about half price, answers within hours.
    /// Only steps whose latency need allows hours (``LatencyNeed/batch``) can meet its latency.
    public var batch: Bool

    public init(
        id: String, provider: String, model: String, pricing: Pricing, latency: LatencyModel,
        reasoningDepth: ReasoningDepth, contextWindow: Int, maxOutputTokens: Int,
        capabilities: Set<Capability> = [.tools, .json], jurisdiction: Jurisdiction, concurrencyLimit: Int? = nil,
        endpoint: String? = nil, batch: Bool = false
    ) {
        self.id = id
        self.provider = provider
        self.model = model
        self.pricing = pricing
        self.latency = latency
        self.reasoningDepth = reasoningDepth
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.capabilities = capabilities
        self.jurisdiction = jurisdiction
        self.concurrencyLimit = concurrencyLimit
        self.endpoint = endpoint
        self.batch = batch
    }
}

/// How long a tier takes: time to first token, then a steady output rate.
public struct LatencyModel: Sendable, Hashable, Codable {
    public var timeToFirstTokenP50: Double
    public var timeToFirstTokenP95: Double
    public var outputTokensPerSecond: Double

    public init(timeToFirstTokenP50: Double, timeToFirstTokenP95: Double, outputTokensPerSecond: Double) {
        self.timeToFirstTokenP50 = timeToFirstTokenP50
        self.timeToFirstTokenP95 = timeToFirstTokenP95
        self.outputTokensPerSecond = outputTokensPerSecond
    }

    /// Predicted 95th-percentile seconds for a call that produces `outputTokens` (reasoning included).
    public func p95Seconds(outputTokens: Int) -> Double {
        timeToFirstTokenP95 + Double(outputTokens) / max(outputTokensPerSecond, 0.001)
    }

    /// Predicted 95th-percentile seconds for a call expected to produce `expectedOutputTokens`
    /// whose own 95th percentile is `p95OutputTokens`. The two spreads (a slow first token, a
    /// long answer) rarely peak on the same call, so their excesses over the median add in
    /// quadrature rather than outright; with no output spread this is ``p95Seconds(outputTokens:)``.
    public func p95Seconds(expectedOutputTokens: Int, p95OutputTokens: Int?) -> Double {
        guard let p95OutputTokens, p95OutputTokens > expectedOutputTokens else {
            return p95Seconds(outputTokens: expectedOutputTokens)
        }
        let rate = max(outputTokensPerSecond, 0.001)
        let firstTokenSpread = max(0, timeToFirstTokenP95 - timeToFirstTokenP50)
        let outputSpread = Double(p95OutputTokens - expectedOutputTokens) / rate
        return timeToFirstTokenP50 + Double(expectedOutputTokens) / rate
            + (firstTokenSpread * firstTokenSpread + outputSpread * outputSpread).squareRoot()
    }

    /// Predicted median seconds for a call that produces `outputTokens` (reasoning included).
    public func p50Seconds(outputTokens: Int) -> Double {
        timeToFirstTokenP50 + Double(outputTokens) / max(outputTokensPerSecond, 0.001)
    }
}
