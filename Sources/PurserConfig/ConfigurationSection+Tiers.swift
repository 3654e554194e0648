import Purser
import Yams

extension ConfigurationSection {
    /// `tiers:`, the tier catalog: a list of tiers in the schema ``TierCatalogWriter`` writes.
    static let tiers = ConfigurationSection(key: "tiers") { node, path, reader, configuration in
        guard let items = reader.sequence(node, at: path) else { return }
        guard !items.isEmpty else {
            reader.report(
                "the list is empty; declare at least one tier, or remove 'tiers:' to use the built-in simulator tiers",
                at: path, node: node)
            return
        }
        let decoded = items.enumerated().map { index, item in
            TierDecoder.decode(item, at: path.appending(index: index), reader: &reader)
        }
        let tiers = decoded.map(\.tier)
        // Catalog rules (ranges, cross-field checks, duplicate ids) on every tier, each problem
        // put back on the line that set the field. Fields that did not even read have been
        // reported already; what the catalog says about their placeholders is dropped.
        for problem in TierCatalog.problems(in: tiers) {
            let tier = decoded[problem.tierIndex]
            guard !tier.unreadFields.contains(problem.field) else { continue }
            reader.report(
                problem.message, at: path.appending(index: problem.tierIndex).appending(problem.field),
                line: tier.line(of: problem.field))
        }
        // Any problem above was reported, so the loader throws; only a clean list is kept.
        configuration.declaredTiers = try? TierCatalog(tiers)
    }
}

/// One tier read from its YAML mapping.
///
/// Fields that cannot be read get a valid placeholder and are remembered in
/// ``unreadFields``, so the tier still takes part in the catalog's checks (a duplicate id is
/// found even when the same tier also has a bad price) without reporting the placeholders.
struct TierDecoder {
    static let keys = [
        "id", "provider", "endpoint", "model", "prices", "latency", "reasoning_depth", "context_window",
        "max_output_tokens", "capabilities", "jurisdiction", "concurrency_limit", "batch",
    ]
    static let priceKeys = ["input", "cached_input", "cache_write", "output", "reasoning"]
    static let latencyKeys = ["ttft_p50", "ttft_p95", "output_tokens_per_second"]
    /// Every field, as the catalog names them.
    static let allFields: Set<String> = Set(
        keys.filter { $0 != "prices" && $0 != "latency" } + priceKeys.map { "prices.\($0)" }
            + latencyKeys.map { "latency.\($0)" })

    /// The tier, with placeholders where ``unreadFields`` says.
    private(set) var tier: Tier
    /// Configuration keys (`prices.output`) whose values were missing or could not be read.
    private(set) var unreadFields: Set<String> = []
    /// Where each field was written, for problems the catalog finds.
    private var lines: [String: Int] = [:]
    private let mappingLine: Int?

    func line(of field: String) -> Int? { lines[field] ?? mappingLine }

    private init(mappingLine: Int?) {
        self.mappingLine = mappingLine
        tier = Tier(
            id: "", provider: "unread", model: "unread", pricing: .free,
            latency: LatencyModel(timeToFirstTokenP50: 0, timeToFirstTokenP95: 0, outputTokensPerSecond: 1),
            reasoningDepth: .none, contextWindow: .max, maxOutputTokens: 1, jurisdiction: .local)
    }

    static func decode(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> TierDecoder {
        var decoder = TierDecoder(mappingLine: node.mark?.line)
        guard let map = reader.mapping(node, at: path, keys: keys) else {
            decoder.unreadFields = allFields
            return decoder
        }
        decoder.read(map, reader: &reader)
        return decoder
    }

    /// Reads `key` (a dotted field name) from `map`, noting where it was written, or marks it unread.
    private mutating func take<T>(
        _ field: String, _ key: String, in map: YAMLMapping, required: Bool = true, reader: inout YAMLReader,
        _ read: (inout YAMLReader, YAMLNode, ConfigKeyPath) -> T?
    ) -> T? {
        if let line = map.member(key).flatMap({ $0.value.mark?.line }) { lines[field] = line }
        let present = map.value(key) != nil
        let value = reader.field(key, in: map, required: required, read)
        if value == nil, present || required { unreadFields.insert(field) }
        return value
    }

    private mutating func read(_ map: YAMLMapping, reader: inout YAMLReader) {
        if let id = take("id", "id", in: map, reader: &reader, { $0.string($1, at: $2) }) { tier.id = id }
        if let provider = take("provider", "provider", in: map, reader: &reader, { $0.string($1, at: $2) }) {
            tier.provider = provider
        }
        tier.endpoint = take("endpoint", "endpoint", in: map, required: false, reader: &reader) { $0.string($1, at: $2) }
        if let model = take("model", "model", in: map, reader: &reader, { $0.string($1, at: $2) }) { tier.model = model }
        readPrices(map, reader: &reader)
        readLatency(map, reader: &reader)
        if let depth = take("reasoning_depth", "reasoning_depth", in: map, reader: &reader, {
            $0.choice($1, at: $2, as: ReasoningDepth.self)
        }) {
            tier.reasoningDepth = depth
        }
        if let window = take("context_window", "context_window", in: map, reader: &reader, {
            $0.integer($1, at: $2, example: "128000")
        }) {
            tier.contextWindow = window
        }
        if let maxOutput = take("max_output_tokens", "max_output_tokens", in: map, reader: &reader, {
            $0.integer($1, at: $2, example: "16384")
        }) {
            tier.maxOutputTokens = maxOutput
        }
        if let capabilities = take("capabilities", "capabilities", in: map, required: false, reader: &reader, {
            Self.capabilities($1, at: $2, reader: &$0)
        }) {
            tier.capabilities = capabilities
        }
        if let jurisdiction = take("jurisdiction", "jurisdiction", in: map, reader: &reader, { $0.string($1, at: $2) }) {
            tier.jurisdiction = Jurisdiction(jurisdiction)
        }
        tier.concurrencyLimit = take("concurrency_limit", "concurrency_limit", in: map, required: false, reader: &reader) {
            $0.integer($1, at: $2, example: "64")
        }
        tier.batch = take("batch", "batch", in: map, required: false, reader: &reader) { $0.boolean($1, at: $2) } ?? false
    }

    private mutating func readPrices(_ map: YAMLMapping, reader: inout YAMLReader) {
        guard let node = reader.value("prices", in: map, required: true) else {
            unreadFields.formUnion(Self.priceKeys.map { "prices.\($0)" })
            return
        }
        guard let prices = reader.mapping(node, at: map.path.appending("prices"), keys: Self.priceKeys) else {
            unreadFields.formUnion(Self.priceKeys.map { "prices.\($0)" })
            return
        }
        func money(_ key: String, required: Bool, _ reader: inout YAMLReader) -> Money? {
            take("prices.\(key)", key, in: prices, required: required, reader: &reader) { $0.money($1, at: $2) }
        }
        let input = money("input", required: true, &reader)
        let cached = money("cached_input", required: false, &reader)
        let output = money("output", required: true, &reader)
        let reasoning = money("reasoning", required: false, &reader)
        let cacheWrite = money("cache_write", required: false, &reader)
        tier.pricing = Pricing(
            inputPerMillion: input ?? .zero, cachedInputPerMillion: cached ?? input ?? .zero,
            outputPerMillion: output ?? .zero, reasoningPerMillion: reasoning, cacheWriteInputPerMillion: cacheWrite)
    }

    private mutating func readLatency(_ map: YAMLMapping, reader: inout YAMLReader) {
        guard let node = reader.value("latency", in: map, required: true),
            let latency = reader.mapping(node, at: map.path.appending("latency"), keys: Self.latencyKeys)
        else {
            unreadFields.formUnion(Self.latencyKeys.map { "latency.\($0)" })
            return
        }
        func seconds(_ key: String, example: String, _ reader: inout YAMLReader) -> Double? {
            take("latency.\(key)", key, in: latency, reader: &reader) { $0.number($1, at: $2, example: example) }
        }
        let p50 = seconds("ttft_p50", example: "0.4", &reader)
        let p95 = seconds("ttft_p95", example: "1.2", &reader)
        let rate = seconds("output_tokens_per_second", example: "90", &reader)
        // Placeholders that pass the cross-field check (p95 ≥ p50) whichever side is unread.
        tier.latency = LatencyModel(
            timeToFirstTokenP50: p50 ?? 0, timeToFirstTokenP95: p95 ?? max(p50 ?? 0, 0),
            outputTokensPerSecond: rate ?? 1)
    }

    private static func capabilities(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> Set<Capability>? {
        guard let items = reader.sequence(node, at: path) else { return nil }
        var capabilities: Set<Capability> = []
        var valid = true
        for (index, item) in items.enumerated() {
            if let capability = reader.choice(item, at: path.appending(index: index), as: Capability.self) {
                capabilities.insert(capability)
            } else {
                valid = false
            }
        }
        return valid ? capabilities : nil
    }
}
