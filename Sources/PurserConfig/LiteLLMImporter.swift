import Purser

/// Converts entries of LiteLLM's public model price map (`model_prices_and_context_window.json`,
/// dollars per token) into tiers, so a catalog of real models need not be typed by hand.
///
/// Only chat models with both an input and an output price are imported. Entries with batch
/// prices (`*_cost_per_token_batches`) also give a `<id>-batch` tier that answers within hours.
/// Where the map is silent (latency, jurisdiction, reasoning depth) ``LiteLLMMapping`` guesses,
/// and the result says so; every tier passes ``TierCatalog`` validation or is skipped.
///
/// ## Prices
///
/// The map publishes prices as binary floating-point numbers of dollars per token
/// (`4e-07`), which cannot be exact. Each is converted once to micro-units per million tokens
/// as `round(price × 10¹²)`: `4e-07` becomes 400000 micro-units, $0.40 per million. That is
/// exact for every price the map states to a millionth of a dollar per million tokens.
public struct LiteLLMImporter: Sendable {
    /// Keep only entries whose `litellm_provider` is one of these (any case); empty keeps all.
    public var providers: [String]
    /// Keep only entries whose key matches one of these; empty keeps all.
    public var modelPatterns: [ModelGlob]

    public init(providers: [String] = [], modelPatterns: [String] = []) {
        self.providers = providers
        self.modelPatterns = modelPatterns.map(ModelGlob.init)
    }

    /// Imports the price map in `json`.
    public func importPriceMap(json: String) throws(LiteLLMImportError) -> LiteLLMImportResult {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: json)
        } catch {
            throw LiteLLMImportError("not a LiteLLM price map: \(error)")
        }
        guard case .object(let entries) = document else {
            throw LiteLLMImportError("not a LiteLLM price map: expected a JSON object of models, got \(document.typeName)")
        }
        return importEntries(entries)
    }

    private func importEntries(_ entries: [String: JSONValue]) -> LiteLLMImportResult {
        var tiers: [Tier] = []
        var usedIDs: Set<String> = []
        var result = LiteLLMImportResult(
            catalog: .builtIn, entriesRead: 0, filteredOut: 0, imported: 0, batchTiers: 0, skipped: [:],
            invalidEntries: [:])
        // Sorted keys: the same map always gives the same catalog, ids and suffixes included.
        for key in entries.keys.sorted() where key != "sample_spec" {
            result.entriesRead += 1
            guard case .object(let fields) = entries[key]! else {
                if matches(key: key, provider: nil) {
                    result.skipped[.malformed, default: 0] += 1
                } else {
                    result.filteredOut += 1
                }
                continue
            }
            let entry = LiteLLMEntry(key: key, fields: fields)
            guard matches(key: key, provider: entry.litellmProvider) else {
                result.filteredOut += 1
                continue
            }
            guard entry.isChat else {
                result.skipped[.notChat, default: 0] += 1
                continue
            }
            guard let realtime = entry.realtimeTier() else {
                result.skipped[.missingPrices, default: 0] += 1
                continue
            }
            if let problem = TierCatalog.problems(in: [realtime]).first {
                result.skipped[.invalid, default: 0] += 1
                result.invalidEntries[key] = "\(problem.field): \(problem.message)"
                continue
            }
            var tier = realtime
            tier.id = Self.unique(realtime.id, in: &usedIDs)
            tiers.append(tier)
            result.imported += 1
            if var batch = entry.batchTier(from: realtime), TierCatalog.problems(in: [batch]).isEmpty {
                batch.id = Self.unique(tier.id + "-batch", in: &usedIDs)
                tiers.append(batch)
                result.batchTiers += 1
            }
        }
        do {
            result.catalog = try TierCatalog(tiers)
        } catch {
            // Each tier passed on its own and ids are unique, so the catalog cannot fail.
            preconditionFailure("imported tiers failed validation: \(error)")
        }
        return result
    }

    private func matches(key: String, provider: String?) -> Bool {
        if !providers.isEmpty {
            guard let provider, providers.contains(where: { $0.lowercased() == provider.lowercased() }) else {
                return false
            }
        }
        return modelPatterns.isEmpty || modelPatterns.contains { $0.matches(key) }
    }

    /// `id`, or `id-2`, `id-3`, ... when it is taken.
    private static func unique(_ id: String, in used: inout Set<String>) -> String {
        var candidate = id
        var suffix = 2
        while used.contains(candidate) {
            candidate = "\(id)-\(suffix)"
            suffix += 1
        }
        used.insert(candidate)
        return candidate
    }
}

/// One price-map entry and the tiers it describes.
struct LiteLLMEntry {
    let key: String
    let fields: [String: JSONValue]

    var litellmProvider: String { fields["litellm_provider"]?.stringValue ?? "" }

    var isChat: Bool { ["chat", "responses"].contains(fields["mode"]?.stringValue) }

    private func flag(_ name: String) -> Bool { fields[name]?.boolValue == true }

    /// A price field in micro-units per million tokens: `round(dollars per token × 10¹²)`.
    /// `nil` when absent or not a number; out of range becomes `-1` so validation rejects it.
    func price(_ name: String) -> Money? {
        guard let dollarsPerToken = fields[name]?.numberValue else { return nil }
        let micros = (dollarsPerToken * 1e12).rounded()
        guard micros.isFinite, abs(micros) < 9e18 else { return Money(micros: -1) }
        return Money(micros: Int64(micros))
    }

    /// A token count; `nil` when absent or not a whole number (then a fallback applies).
    private func count(_ name: String) -> Int? {
        guard let value = fields[name]?.numberValue, value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }

    func realtimeTier() -> Tier? {
        guard let input = price("input_cost_per_token"), let output = price("output_cost_per_token") else { return nil }
        let reasons = flag("supports_reasoning")
        let (provider, endpoint) = LiteLLMMapping.provider(forLiteLLM: litellmProvider)
        var capabilities: Set<Capability> = []
        if flag("supports_function_calling") { capabilities.insert(.tools) }
        if flag("supports_response_schema") || flag("supports_native_json") || flag("supports_json_mode") {
            capabilities.insert(.json)
        }
        let contextWindow = count("max_input_tokens") ?? count("max_tokens") ?? 8192
        let maxOutput = min(count("max_output_tokens") ?? count("max_tokens") ?? 4096, contextWindow)
        return Tier(
            id: LiteLLMMapping.id(forKey: key), provider: provider,
            model: LiteLLMMapping.model(forKey: key, litellmProvider: litellmProvider),
            pricing: Pricing(
                inputPerMillion: input, cachedInputPerMillion: price("cache_read_input_token_cost") ?? input,
                outputPerMillion: output, reasoningPerMillion: price("output_cost_per_reasoning_token"),
                cacheWriteInputPerMillion: price("cache_creation_input_token_cost")),
            latency: LiteLLMMapping.latencyPrior(supportsReasoning: reasons, outputPerMillion: output),
            reasoningDepth: LiteLLMMapping.reasoningDepth(supportsReasoning: reasons, outputPerMillion: output),
            contextWindow: contextWindow, maxOutputTokens: maxOutput, capabilities: capabilities,
            jurisdiction: LiteLLMMapping.jurisdiction(forKey: key, litellmProvider: litellmProvider),
            endpoint: endpoint)
    }

    /// The same model through the provider's batch API, when the map prices it.
    ///
    /// Cached input costs `cache_read_input_token_cost_batches` if stated, else the lower of
    /// the batch input price and the realtime cached price (never a guess below a known price);
    /// reasoning costs `output_cost_per_reasoning_token_batches` if stated, else the batch
    /// output price; cache writes cost `cache_creation_input_token_cost_batches` if stated, else
    /// the realtime cache-write price.
    func batchTier(from realtime: Tier) -> Tier? {
        guard let input = price("input_cost_per_token_batches"), let output = price("output_cost_per_token_batches")
        else { return nil }
        var tier = realtime
        let cached = price("cache_read_input_token_cost_batches") ?? min(input, realtime.pricing.cachedInputPerMillion)
        tier.pricing = Pricing(
            inputPerMillion: input, cachedInputPerMillion: cached,
            outputPerMillion: output, reasoningPerMillion: price("output_cost_per_reasoning_token_batches"),
            cacheWriteInputPerMillion: price("cache_creation_input_token_cost_batches")
                ?? realtime.pricing.cacheWriteInputPerMillion)
        tier.latency = LiteLLMMapping.batchLatency(from: realtime.latency)
        tier.batch = true
        return tier
    }
}
