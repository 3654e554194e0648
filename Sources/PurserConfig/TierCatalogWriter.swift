import Purser
import Yams

/// Writes tiers as the `tiers:` section of `purser.yaml`, in exactly the schema the loader reads.
///
/// Written by hand rather than through a YAML emitter so the output is stable and readable:
/// keys in the documented order, amounts as exact decimals (`0.40`), capabilities in one
/// line, a blank line between tiers. Strings are quoted only where YAML would read them as
/// something else (`no`, `1.5`, `null`) or could not hold them plainly.
public enum TierCatalogWriter {
    /// `tiers` as a whole document, after `header` lines written as `#` comments.
    public static func yaml(_ tiers: [Tier], header: [String] = []) -> String {
        var out = ""
        for line in header { out += line.isEmpty ? "#\n" : "# \(line)\n" }
        if !header.isEmpty { out += "\n" }
        out += "tiers:\n"
        for (index, tier) in tiers.enumerated() {
            if index > 0 { out += "\n" }
            write(tier, to: &out)
        }
        return out
    }

    private static func write(_ tier: Tier, to out: inout String) {
        out += "  - id: \(scalar(tier.id))\n"
        let indent = "    "
        func line(_ key: String, _ value: String, _ extra: String = "") { out += "\(indent)\(extra)\(key): \(value)\n" }
        line("provider", scalar(tier.provider))
        if let endpoint = tier.endpoint { line("endpoint", scalar(endpoint)) }
        line("model", scalar(tier.model))
        out += "\(indent)prices:\n"
        line("input", amount(tier.pricing.inputPerMillion), "  ")
        line("cached_input", amount(tier.pricing.cachedInputPerMillion), "  ")
        if let cacheWrite = tier.pricing.cacheWriteInputPerMillion { line("cache_write", amount(cacheWrite), "  ") }
        line("output", amount(tier.pricing.outputPerMillion), "  ")
        if let reasoning = tier.pricing.reasoningPerMillion { line("reasoning", amount(reasoning), "  ") }
        out += "\(indent)latency:\n"
        line("ttft_p50", number(tier.latency.timeToFirstTokenP50), "  ")
        line("ttft_p95", number(tier.latency.timeToFirstTokenP95), "  ")
        line("output_tokens_per_second", number(tier.latency.outputTokensPerSecond), "  ")
        line("reasoning_depth", tier.reasoningDepth.rawValue)
        line("context_window", String(tier.contextWindow))
        line("max_output_tokens", String(tier.maxOutputTokens))
        let capabilities = Capability.allCases.filter(tier.capabilities.contains).map(\.rawValue)
        line("capabilities", "[\(capabilities.joined(separator: ", "))]")
        line("jurisdiction", scalar(tier.jurisdiction.rawValue))
        if let limit = tier.concurrencyLimit { line("concurrency_limit", String(limit)) }
        line("batch", tier.batch ? "true" : "false")
    }

    /// Dollars per million tokens, exact: `0.40`, `0.0125`, `15.00`.
    static func amount(_ money: Money) -> String { money.description }

    /// The shortest text that reads back as the same `Double`; whole numbers without `.0`.
    static func number(_ value: Double) -> String {
        if value.isFinite, value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// `text` plain when YAML reads it back as that same string, else double-quoted.
    static func scalar(_ text: String) -> String {
        needsQuotes(text) ? quoted(text) : text
    }

    private static let plainCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/@+:-")

    static func needsQuotes(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last else { return true }
        guard text.allSatisfy(plainCharacters.contains), first.isLetter || first.isNumber || first == "_" || first == "/",
            last != ":"
        else { return true }
        // `yes`, `null`, `1.5`, `2024-01-01`: YAML would read another type.
        return YAMLNode(text).tag.rawValue != Tag.Name.str.rawValue
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
