import Purser
import PurserConfig

/// The tier catalog as a table for people and as JSON for scripts, both in the terms of
/// `purser.yaml` (amounts are dollars per million tokens, decimal strings in JSON).
enum TierTable {
    static func render(_ tiers: [Tier]) -> String {
        var table = TextTable([
            .init(title: "id", alignment: .left), .init(title: "provider", alignment: .left),
            .init(title: "model", alignment: .left), .init(title: "jurisdiction", alignment: .left),
            .init(title: "depth", alignment: .left), .init(title: "context", alignment: .right),
            .init(title: "max out", alignment: .right), .init(title: "$/M in", alignment: .right),
            .init(title: "cached", alignment: .right), .init(title: "out", alignment: .right),
            .init(title: "ttft p50/p95", alignment: .right), .init(title: "tok/s", alignment: .right),
            .init(title: "caps", alignment: .left), .init(title: "limit", alignment: .right),
            .init(title: "batch", alignment: .left),
        ])
        for tier in tiers {
            let latency = tier.latency
            table.add([
                tier.id, tier.provider, tier.model, tier.jurisdiction.rawValue, tier.reasoningDepth.rawValue,
                String(tier.contextWindow), String(tier.maxOutputTokens),
                tier.pricing.inputPerMillion.description, tier.pricing.cachedInputPerMillion.description,
                tier.pricing.outputPerMillion.description,
                "\(number(latency.timeToFirstTokenP50))/\(number(latency.timeToFirstTokenP95)) s",
                number(latency.outputTokensPerSecond), capabilities(tier),
                tier.concurrencyLimit.map(String.init) ?? "-", tier.batch ? "yes" : "-",
            ])
        }
        return table.render()
    }

    /// Each tier as an object with `purser.yaml`'s keys; absent optional keys are `null`.
    static func json(_ tiers: [Tier]) -> JSONValue {
        .array(tiers.map { tier in
            let pricing = tier.pricing
            return .object([
                "id": .string(tier.id),
                "provider": .string(tier.provider),
                "endpoint": tier.endpoint.map(JSONValue.string) ?? .null,
                "model": .string(tier.model),
                "prices": .object([
                    "input": .string(pricing.inputPerMillion.description),
                    "cached_input": .string(pricing.cachedInputPerMillion.description),
                    "output": .string(pricing.outputPerMillion.description),
                    "reasoning": pricing.reasoningPerMillion.map { .string($0.description) } ?? .null,
                ]),
                "latency": .object([
                    "ttft_p50": .number(tier.latency.timeToFirstTokenP50),
                    "ttft_p95": .number(tier.latency.timeToFirstTokenP95),
                    "output_tokens_per_second": .number(tier.latency.outputTokensPerSecond),
                ]),
                "reasoning_depth": .string(tier.reasoningDepth.rawValue),
                "context_window": .number(Double(tier.contextWindow)),
                "max_output_tokens": .number(Double(tier.maxOutputTokens)),
                "capabilities": .array(Capability.allCases.filter(tier.capabilities.contains).map { .string($0.rawValue) }),
                "jurisdiction": .string(tier.jurisdiction.rawValue),
                "concurrency_limit": tier.concurrencyLimit.map { .number(Double($0)) } ?? .null,
                "batch": .bool(tier.batch),
            ])
        })
    }

    private static func capabilities(_ tier: Tier) -> String {
        let names = Capability.allCases.filter(tier.capabilities.contains).map(\.rawValue)
        return names.isEmpty ? "-" : names.joined(separator: ",")
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
