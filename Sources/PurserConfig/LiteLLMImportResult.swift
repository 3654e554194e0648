import Purser

/// What an import of the LiteLLM price map produced, and what it left out and why.
public struct LiteLLMImportResult: Sendable, Hashable {
    /// Why an entry gave no tier.
    public enum SkipReason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// `mode` is not `chat` or `responses` (embeddings, images, audio, ...).
        case notChat = "not a chat model"
        /// No `input_cost_per_token` or no `output_cost_per_token`.
        case missingPrices = "no input or output price"
        /// The entry is not a JSON object.
        case malformed = "not an object"
        /// The tier it maps to fails the catalog's checks (negative price, zero context window, ...).
        case invalid = "invalid data"

        public static func < (lhs: SkipReason, rhs: SkipReason) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Every imported tier, realtime and batch, sorted by price-map key.
    public var catalog: TierCatalog
    /// Entries in the map, not counting its `sample_spec` template.
    public var entriesRead: Int
    /// Entries that `--provider` / `--model` filters left out.
    public var filteredOut: Int
    /// Entries that became a (realtime) tier.
    public var imported: Int
    /// Extra `-batch` tiers, for entries with batch prices.
    public var batchTiers: Int
    /// Entries that matched the filters but gave no tier, by reason.
    public var skipped: [SkipReason: Int]
    /// For ``SkipReason/invalid`` entries: the price-map key and what was wrong.
    public var invalidEntries: [String: String]

    public var tiers: [Tier] { catalog.tiers }

    /// One line for logs: `read 4877 entries: 126 tiers (+ 60 batch); filtered out 4700; skipped 40 not a chat model, 11 no input or output price`.
    public var summary: String {
        var text = "read \(entriesRead) entries: \(imported) tiers"
        if batchTiers > 0 { text += " (+ \(batchTiers) batch)" }
        if filteredOut > 0 { text += "; filtered out \(filteredOut)" }
        let reasons = skipped.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !reasons.isEmpty {
            text += "; skipped " + reasons.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
        }
        return text
    }
}

/// Why a price map could not be read at all.
public struct LiteLLMImportError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
