import Purser
import PurserConfig
import Testing

@Suite("purser.yaml writing")
struct TierCatalogWriterTests {
    static let mini = Tier(
        id: "gpt-4.1-mini", provider: "openai", model: "gpt-4.1-mini",
        pricing: Pricing(
            inputPerMillion: Money(micros: 400_000), cachedInputPerMillion: Money(micros: 100_000),
            outputPerMillion: Money(micros: 1_600_000)),
        latency: LatencyModel(timeToFirstTokenP50: 0.4, timeToFirstTokenP95: 1.2, outputTokensPerSecond: 90),
        reasoningDepth: .none, contextWindow: 1_047_576, maxOutputTokens: 32_768, jurisdiction: .us,
        endpoint: "https://api.openai.com/v1")

    @Test func writesTheDocumentedFormat() {
        let yaml = TierCatalogWriter.yaml([Self.mini], header: ["Imported.", "", "Edit freely."])
        #expect(yaml == """
            # Imported.
            #
            # Edit freely.

            tiers:
              - id: gpt-4.1-mini
                provider: openai
                endpoint: https://api.openai.com/v1
                model: gpt-4.1-mini
                prices:
                  input: 0.40
                  cached_input: 0.10
                  output: 1.60
                latency:
                  ttft_p50: 0.4
                  ttft_p95: 1.2
                  output_tokens_per_second: 90
                reasoning_depth: none
                context_window: 1047576
                max_output_tokens: 32768
                capabilities: [tools, json]
                jurisdiction: us
                batch: false

            """)
    }

    @Test func theBuiltInCatalogRoundTrips() throws {
        let yaml = TierCatalogWriter.yaml(SimulatorCatalog.tiers)
        #expect(try ConfigurationLoader.parse(yaml: yaml).declaredTiers?.tiers == SimulatorCatalog.tiers)
    }

    @Test func awkwardValuesRoundTrip() throws {
        var tiers: [Tier] = []
        let models = ["no", "1.5", "true", "null", "~", "2024-01-01", "has space", "quote\"d\\", "#hash", "- dash",
                      "modèle", "a: b", "tab\there", "[list]", "accounts/fireworks/models/glm-4p6", "v1:0", "@at"]
        for (index, model) in models.enumerated() {
            var tier = Self.mini
            tier.id = "t\(index):x_y.z"
            tier.model = model
            tier.provider = index.isMultiple(of: 2) ? "openai" : "yes"
            tier.endpoint = index.isMultiple(of: 3) ? nil : "http://127.0.0.1:8089/v1?a=b#c"
            tier.jurisdiction = index.isMultiple(of: 2) ? "no" : "eu-west"
            tier.pricing = Pricing(
                inputPerMillion: Money(micros: Int64(index)), cachedInputPerMillion: .zero,
                outputPerMillion: Money(units: 123_456, micros: 789_012),
                reasoningPerMillion: index.isMultiple(of: 2) ? Money(micros: 7) : nil)
            tier.latency = LatencyModel(
                timeToFirstTokenP50: 0.1 + 0.2, timeToFirstTokenP95: 3600 + Double(index) / 7,
                outputTokensPerSecond: 1e-5 + Double(index))
            tier.reasoningDepth = ReasoningDepth.allCases[index % 4]
            tier.capabilities = [[], [.tools], [.json], [.tools, .json]][index % 4]
            tier.concurrencyLimit = index.isMultiple(of: 2) ? nil : index
            tier.batch = index.isMultiple(of: 2)
            tier.maxOutputTokens = 1
            tiers.append(tier)
        }
        let yaml = TierCatalogWriter.yaml(tiers, header: ["from: a \"test\" # with hashes"])
        let loaded = try ConfigurationLoader.parse(yaml: yaml).declaredTiers?.tiers
        #expect(loaded == tiers, "\(yaml)")
    }

    @Test func writingIsDeterministic() {
        let tier = Tier(
            id: "x", provider: "openai", model: "x", pricing: .free,
            latency: LatencyModel(timeToFirstTokenP50: 1, timeToFirstTokenP95: 2, outputTokensPerSecond: 3),
            reasoningDepth: .high, contextWindow: 10, maxOutputTokens: 5, capabilities: [.json, .tools], jurisdiction: .uk)
        let first = TierCatalogWriter.yaml([tier, Self.mini])
        for _ in 0..<20 { #expect(TierCatalogWriter.yaml([tier, Self.mini]) == first) }
        #expect(first.contains("capabilities: [tools, json]"))
    }
}
