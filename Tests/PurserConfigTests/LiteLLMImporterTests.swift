import Foundation
import Purser
import PurserConfig
import Testing

@Suite("LiteLLM price map import")
struct LiteLLMImporterTests {
    /// A small price map with one entry for each rule the importer applies.
    static let fixture = """
        {
          "sample_spec": {"input_cost_per_token": 0.0, "output_cost_per_token": 0.0, "litellm_provider": "one of ...", "mode": "chat"},
          "gpt-4.1-mini": {
            "litellm_provider": "openai", "mode": "chat",
            "input_cost_per_token": 4e-07, "cache_read_input_token_cost": 1e-07, "output_cost_per_token": 1.6e-06,
            "input_cost_per_token_batches": 2e-07, "output_cost_per_token_batches": 8e-07,
            "max_input_tokens": 1047576, "max_output_tokens": 32768,
            "supports_function_calling": true, "supports_response_schema": true
          },
          "o3": {
            "litellm_provider": "openai", "mode": "responses", "supports_reasoning": true,
            "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06, "output_cost_per_reasoning_token": 9e-06,
            "max_input_tokens": 200000, "max_output_tokens": 100000, "supports_function_calling": true
          },
          "claude-sonnet-4-5": {
            "litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
            "max_input_tokens": 200000, "max_output_tokens": 64000, "supports_native_json": true
          },
          "eu.anthropic.claude-haiku": {
            "litellm_provider": "bedrock_converse", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 5e-06,
            "max_tokens": 4096
          },
          "azure/eu/gpt-4o": {"litellm_provider": "azure", "mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05},
          "vertex_ai/claude-opus@europe-west2": {
            "litellm_provider": "vertex_ai-anthropic_models", "mode": "chat", "input_cost_per_token": 1.5e-05, "output_cost_per_token": 7.5e-05
          },
          "bedrock/ap-northeast-1/llama": {"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_token": 1e-07, "output_cost_per_token": 2e-07},
          "bedrock/sa-east-1/llama": {"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_token": 1e-07, "output_cost_per_token": 2e-07},
          "bedrock/us-gov-west-1/llama": {"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_token": 1e-07, "output_cost_per_token": 2e-07},
          "mistral/mistral-small": {"litellm_provider": "mistral", "mode": "chat", "input_cost_per_token": 1e-07, "output_cost_per_token": 3e-07},
          "groq/llama-3.1-8b": {"litellm_provider": "groq", "mode": "chat", "input_cost_per_token": 5e-08, "output_cost_per_token": 8e-08,
                                "max_input_tokens": 1000, "max_output_tokens": 5000},
          "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08, "output_cost_per_token": 0.0},
          "no-output-price": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06},
          "negative-price": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": -1e-06, "output_cost_per_token": 1e-06},
          "zero-context": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, "max_input_tokens": 0},
          "not-an-object": "chat",
          "Some/Model Name!": {"litellm_provider": "together_ai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06},
          "some-model-name-": {"litellm_provider": "together_ai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06}
        }
        """

    static func importFixture(providers: [String] = [], models: [String] = []) throws -> LiteLLMImportResult {
        try LiteLLMImporter(providers: providers, modelPatterns: models).importPriceMap(json: fixture)
    }

    @Test func convertsPricesExactlyAndAddsABatchTier() throws {
        let result = try Self.importFixture()
        let mini = try #require(result.catalog.tier(id: "gpt-4.1-mini"))
        #expect(mini.provider == "openai")
        #expect(mini.endpoint == "https://api.openai.com/v1")
        #expect(mini.model == "gpt-4.1-mini")
        #expect(mini.pricing == Pricing(
            inputPerMillion: Money(micros: 400_000), cachedInputPerMillion: Money(micros: 100_000),
            outputPerMillion: Money(micros: 1_600_000)))
        #expect(mini.contextWindow == 1_047_576 && mini.maxOutputTokens == 32_768)
        #expect(mini.capabilities == [.tools, .json])
        #expect(mini.reasoningDepth == .low, "$1.60 out: at least $1, under $8")
        #expect(mini.latency == LatencyModel(timeToFirstTokenP50: 0.5, timeToFirstTokenP95: 1.5, outputTokensPerSecond: 90))
        #expect(mini.jurisdiction == .us)
        #expect(!mini.batch)

        let batch = try #require(result.catalog.tier(id: "gpt-4.1-mini-batch"))
        #expect(batch.batch)
        #expect(batch.model == "gpt-4.1-mini" && batch.provider == "openai" && batch.endpoint == mini.endpoint)
        #expect(batch.pricing.inputPerMillion == Money(micros: 200_000))
        #expect(
            batch.pricing.cachedInputPerMillion == Money(micros: 100_000),
            "no batch cache price: the lower of the batch input and realtime cached prices")
        #expect(batch.pricing.outputPerMillion == Money(micros: 800_000))
        #expect(batch.latency == LatencyModel(timeToFirstTokenP50: 3600, timeToFirstTokenP95: 43_200, outputTokensPerSecond: 90))
        #expect(result.catalog.tiers.firstIndex(of: batch) == result.catalog.tiers.firstIndex(of: mini).map { $0 + 1 })
    }

    @Test func mapsProvidersModelsAndEndpoints() throws {
        let tiers = try Self.importFixture().catalog
        #expect(tiers.tier(id: "claude-sonnet-4-5")?.provider == "anthropic")
        #expect(tiers.tier(id: "claude-sonnet-4-5")?.endpoint == "https://api.anthropic.com/v1")
        #expect(tiers.tier(id: "mistral-mistral-small")?.provider == "mistral")
        #expect(tiers.tier(id: "mistral-mistral-small")?.endpoint == "https://api.mistral.ai/v1")
        #expect(tiers.tier(id: "mistral-mistral-small")?.model == "mistral-small")
        #expect(tiers.tier(id: "groq-llama-3.1-8b")?.endpoint == "https://api.groq.com/openai/v1")
        #expect(tiers.tier(id: "azure-eu-gpt-4o")?.provider == "azure")
        #expect(tiers.tier(id: "azure-eu-gpt-4o")?.endpoint == nil)
        #expect(tiers.tier(id: "azure-eu-gpt-4o")?.model == "eu/gpt-4o")
        #expect(tiers.tier(id: "vertex_ai-claude-opus-europe-west2")?.model == "claude-opus@europe-west2")
        #expect(tiers.tier(id: "eu.anthropic.claude-haiku")?.model == "eu.anthropic.claude-haiku")
        #expect(tiers.tier(id: "o3")?.pricing.reasoningPerMillion == Money(micros: 9_000_000))
        #expect(tiers.tier(id: "claude-sonnet-4-5")?.pricing.reasoningPerMillion == nil)
    }

    @Test func readsJurisdictionFromRegionMarkers() throws {
        let tiers = try Self.importFixture().catalog
        let expected: [String: Jurisdiction] = [
            "eu.anthropic.claude-haiku": .eu,
            "azure-eu-gpt-4o": .eu,
            "vertex_ai-claude-opus-europe-west2": .uk,
            "bedrock-ap-northeast-1-llama": "apac",
            "bedrock-sa-east-1-llama": "sa",
            "bedrock-us-gov-west-1-llama": .us,
            "mistral-mistral-small": .eu,
            "groq-llama-3.1-8b": .us,
            "claude-sonnet-4-5": .us,
        ]
        for (id, jurisdiction) in expected {
            #expect(tiers.tier(id: id)?.jurisdiction == jurisdiction, "\(id)")
        }
    }

    @Test func guessesDepthCapabilitiesLimitsAndLatency() throws {
        let tiers = try Self.importFixture().catalog
        let o3 = try #require(tiers.tier(id: "o3"))
        #expect(o3.reasoningDepth == .high)
        #expect(o3.latency == LatencyModel(timeToFirstTokenP50: 2, timeToFirstTokenP95: 8, outputTokensPerSecond: 60))
        #expect(o3.capabilities == [.tools])
        let sonnet = try #require(tiers.tier(id: "claude-sonnet-4-5"))
        #expect(sonnet.reasoningDepth == .medium, "$15 out")
        #expect(sonnet.latency == LatencyModel(timeToFirstTokenP50: 0.8, timeToFirstTokenP95: 2.5, outputTokensPerSecond: 60))
        #expect(sonnet.capabilities == [.json], "supports_native_json")
        let groq = try #require(tiers.tier(id: "groq-llama-3.1-8b"))
        #expect(groq.reasoningDepth == ReasoningDepth.none)
        #expect(groq.latency == LatencyModel(timeToFirstTokenP50: 0.3, timeToFirstTokenP95: 0.9, outputTokensPerSecond: 150))
        #expect(groq.contextWindow == 1000 && groq.maxOutputTokens == 1000, "max output capped at the context window")
        let haiku = try #require(tiers.tier(id: "eu.anthropic.claude-haiku"))
        #expect(haiku.contextWindow == 4096 && haiku.maxOutputTokens == 4096, "max_tokens fallback")
        #expect(haiku.capabilities.isEmpty)
        let azure = try #require(tiers.tier(id: "azure-eu-gpt-4o"))
        #expect(azure.contextWindow == 8192 && azure.maxOutputTokens == 4096, "defaults when the map has no limits")
    }

    @Test func countsWhatItSkippedAndDedupesIDs() throws {
        let result = try Self.importFixture()
        #expect(result.entriesRead == 18)
        #expect(result.imported == 13)
        #expect(result.batchTiers == 1)
        #expect(result.filteredOut == 0)
        #expect(result.skipped == [.notChat: 1, .missingPrices: 1, .invalid: 2, .malformed: 1])
        #expect(result.invalidEntries["negative-price"]?.hasPrefix("prices.input: must not be negative") == true)
        #expect(result.invalidEntries["zero-context"]?.hasPrefix("context_window:") == true)
        #expect(result.tiers.count == 14)
        #expect(result.catalog.tier(id: "some-model-name-")?.model == "Some/Model Name!")
        #expect(result.catalog.tier(id: "some-model-name--2")?.model == "some-model-name-")
        #expect(result.summary == "read 18 entries: 13 tiers (+ 1 batch); skipped 1 not a chat model, 1 no input or output price, 1 not an object, 2 invalid data")
        #expect(try Self.importFixture() == result, "the same map gives the same catalog")
    }

    @Test func filtersByProviderAndModelGlob() throws {
        let openAI = try Self.importFixture(providers: ["OpenAI"])
        #expect(openAI.tiers.map(\.id) == ["gpt-4.1-mini", "gpt-4.1-mini-batch", "o3"])
        #expect(openAI.filteredOut == 12)
        #expect(openAI.skipped == [.notChat: 1, .missingPrices: 1, .invalid: 2])

        let globs = try Self.importFixture(models: ["gpt-4.1*", "?3", "*/CLAUDE-*"])
        #expect(globs.tiers.map(\.id) == ["gpt-4.1-mini", "gpt-4.1-mini-batch", "o3", "vertex_ai-claude-opus-europe-west2"])

        let both = try Self.importFixture(providers: ["bedrock", "mistral"], models: ["*llama*"])
        #expect(both.tiers.map(\.model).sorted() == ["ap-northeast-1/llama", "sa-east-1/llama", "us-gov-west-1/llama"])

        let none = try Self.importFixture(models: ["claude-9*"])
        #expect(none.tiers.isEmpty && none.imported == 0 && none.filteredOut == 18)
    }

    @Test(arguments: [
        ("gpt-4.1*", "gpt-4.1", true), ("gpt-4.1*", "gpt-4.1-mini-2025", true), ("gpt-4.1*", "gpt-4o", false),
        ("?3", "o3", true), ("?3", "o33", false), ("*", "", true), ("", "", true), ("", "x", false),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("*mini", "GPT-4.1-MINI", true),
        ("bedrock/*/llama*", "bedrock/us-east-1/llama3", true), ("**a", "bba", true), ("a?c", "abbc", false),
    ] as [(String, String, Bool)])
    func globsMatchWholeKeys(pattern: String, key: String, matches: Bool) {
        #expect(ModelGlob(pattern).matches(key) == matches)
    }

    @Test(arguments: ["not json", "[1, 2]", "{\"a\": 1,}"])
    func rejectsWhatIsNotAPriceMap(text: String) {
        #expect(throws: LiteLLMImportError.self) { try LiteLLMImporter().importPriceMap(json: text) }
    }

    @Test func importedCatalogsRoundTripThroughYAML() throws {
        let result = try Self.importFixture()
        let yaml = TierCatalogWriter.yaml(result.tiers, header: ["test"])
        #expect(try ConfigurationLoader.parse(yaml: yaml).declaredTiers == result.catalog)
    }

    // MARK: The real price map

    /// `../shared/prices/litellm-model-prices.json` from the repository root (CI has it there too).
    static var sharedPriceMap: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/prices/litellm-model-prices.json").standardizedFileURL
    }

    @Test func importsTheRealPriceMap() throws {
        let text = try String(contentsOf: Self.sharedPriceMap, encoding: .utf8)
        let result = try LiteLLMImporter().importPriceMap(json: text)
        #expect(result.entriesRead > 4000)
        #expect(result.imported > 2500)
        #expect(result.batchTiers > 100)
        #expect(result.tiers.count == result.imported + result.batchTiers)
        #expect((result.skipped[.notChat] ?? 0) > 500)

        let mini = try #require(result.catalog.tier(id: "gpt-4.1-mini"))
        #expect(mini.pricing.inputPerMillion == Money(micros: 400_000))
        #expect(mini.pricing.cachedInputPerMillion == Money(micros: 100_000))
        #expect(mini.pricing.outputPerMillion == Money(micros: 1_600_000))
        #expect(mini.endpoint == "https://api.openai.com/v1")
        let batch = try #require(result.catalog.tier(id: "gpt-4.1-mini-batch"))
        #expect(batch.batch)
        #expect(batch.pricing.inputPerMillion.micros * 2 == mini.pricing.inputPerMillion.micros)
        #expect(batch.pricing.outputPerMillion.micros * 2 == mini.pricing.outputPerMillion.micros)

        // Filtered as the README shows, and through YAML and back.
        let filtered = try LiteLLMImporter(providers: ["openai"], modelPatterns: ["gpt-4.1*"]).importPriceMap(json: text)
        #expect(filtered.tiers.contains { $0.id == "gpt-4.1-mini" })
        #expect(filtered.tiers.allSatisfy { $0.id.hasPrefix("gpt-4.1") && $0.provider == "openai" })
        let yaml = TierCatalogWriter.yaml(filtered.tiers)
        #expect(try ConfigurationLoader.parse(yaml: yaml).declaredTiers == filtered.catalog)
    }
}
