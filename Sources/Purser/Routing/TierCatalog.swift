import Foundation

/// A validated list of tiers: the catalog the router chooses from.
///
/// Validation happens once, here, so the router and the estimator can trust every tier
/// (no negative prices, no zero throughput, output limits inside the context window).
/// It collects every problem in every tier before throwing, so a catalog with three
/// mistakes reports three. Each problem names the field by its configuration key
/// (`prices.output`, `latency.ttft_p95`), so a loader can point at the line that set it.
public struct TierCatalog: Sendable, Hashable {
    public let tiers: [Tier]

    public init(_ tiers: [Tier]) throws(TierCatalogError) {
        let problems = Self.problems(in: tiers)
        guard problems.isEmpty else { throw TierCatalogError(problems: problems) }
        self.tiers = tiers
    }

    /// The embedded default: the simulator's tiers, so Purser runs with no configuration.
    public static let builtIn: TierCatalog = {
        do {
            return try TierCatalog(SimulatorCatalog.tiers)
        } catch {
            preconditionFailure("the built-in simulator catalog is invalid: \(error)")
        }
    }()

    /// The tier with `id`, if the catalog has one.
    public func tier(id: String) -> Tier? { tiers.first { $0.id == id } }

    /// Every problem in `tiers`, in tier order; empty when they form a valid catalog.
    public static func problems(in tiers: [Tier]) -> [TierCatalogError.Problem] {
        var problems: [TierCatalogError.Problem] = []
        var firstIndexByID: [String: Int] = [:]
        for (index, tier) in tiers.enumerated() {
            var check = TierCheck(index: index, tier: tier)
            if !tier.id.isEmpty {
                if let first = firstIndexByID[tier.id] {
                    check.fail("id", "duplicate id '\(tier.id)': tiers[\(first)] has it too")
                } else {
                    firstIndexByID[tier.id] = index
                }
            }
            check.run()
            problems += check.problems
        }
        return problems
    }
}

/// The checks on one tier, each reporting under the configuration key of the field it checks.
private struct TierCheck {
    let index: Int
    let tier: Tier
    var problems: [TierCatalogError.Problem] = []

    mutating func fail(_ field: String, _ message: String) {
        problems.append(TierCatalogError.Problem(tierIndex: index, tierID: tier.id, field: field, message: message))
    }

    mutating func run() {
        checkIdentity()
        checkPrices()
        checkLatency()
        checkLimits()
        checkJurisdiction()
    }

    /// Ids appear in commands, logs and metrics labels, so they keep to a plain character set.
    static let idCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_:")

    private mutating func checkIdentity() {
        if tier.id.isEmpty {
            fail("id", "must not be empty")
        } else if let bad = tier.id.first(where: { !Self.idCharacters.contains($0) }) {
            fail("id", "'\(tier.id)' has '\(bad)'; use lowercase letters, digits, '.', '-', '_' and ':'")
        }
        if tier.provider.trimmingCharacters(in: .whitespaces).isEmpty { fail("provider", "must not be empty") }
        if tier.model.trimmingCharacters(in: .whitespaces).isEmpty { fail("model", "must not be empty") }
        if let endpoint = tier.endpoint, !Self.isHTTPURL(endpoint) {
            fail("endpoint", "'\(endpoint)' is not an http(s) URL such as https://api.openai.com/v1")
        }
    }

    static func isHTTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty
        else { return false }
        return !text.contains(where: \.isWhitespace)
    }

    private mutating func checkPrices() {
        let pricing = tier.pricing
        let prices: [(String, Money?)] = [
            ("prices.input", pricing.inputPerMillion), ("prices.cached_input", pricing.cachedInputPerMillion),
            ("prices.output", pricing.outputPerMillion), ("prices.reasoning", pricing.reasoningPerMillion),
        ]
        for case let (field, price?) in prices where price < .zero {
            fail(field, "must not be negative (got \(price))")
        }
    }

    private mutating func checkLatency() {
        let latency = tier.latency
        let p50 = latency.timeToFirstTokenP50
        let p95 = latency.timeToFirstTokenP95
        if !p50.isFinite || p50 < 0 {
            fail("latency.ttft_p50", "must be a finite number of seconds, at least 0 (got \(p50))")
        }
        if !p95.isFinite || p95 < 0 {
            fail("latency.ttft_p95", "must be a finite number of seconds, at least 0 (got \(p95))")
        } else if p50.isFinite, p95 < p50 {
            fail("latency.ttft_p95", "must be at least ttft_p50 (\(p50)); got \(p95)")
        }
        let rate = latency.outputTokensPerSecond
        if !rate.isFinite || rate <= 0 {
            fail("latency.output_tokens_per_second", "must be a finite number above 0 (got \(rate))")
        }
    }

    private mutating func checkLimits() {
        if tier.contextWindow < 1 { fail("context_window", "must be at least 1 (got \(tier.contextWindow))") }
        if tier.maxOutputTokens < 1 {
            fail("max_output_tokens", "must be at least 1 (got \(tier.maxOutputTokens))")
        } else if tier.contextWindow >= 1, tier.maxOutputTokens > tier.contextWindow {
            fail(
                "max_output_tokens",
                "\(tier.maxOutputTokens) is more than the context window (\(tier.contextWindow))")
        }
        if let limit = tier.concurrencyLimit, limit < 1 {
            fail("concurrency_limit", "must be at least 1 (got \(limit)); leave it out for no limit")
        }
    }

    /// Jurisdictions are matched against steps' needs by name, so they keep to the same plain form.
    private mutating func checkJurisdiction() {
        let name = tier.jurisdiction.rawValue
        if name.isEmpty {
            fail("jurisdiction", "must not be empty (e.g. us, eu, uk, local)")
        } else if !name.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }) {
            fail("jurisdiction", "'\(name)' must be lowercase letters, digits, '-' or '_' (e.g. us, eu, uk, local)")
        }
    }
}

/// Why a list of tiers is not a valid catalog: every problem found, each with its tier and field.
public struct TierCatalogError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One thing wrong with one tier.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The tier's position in the list given to ``TierCatalog/init(_:)``.
        public var tierIndex: Int
        public var tierID: String
        /// The field's configuration key (`id`, `prices.output`, `latency.ttft_p95`, `context_window`).
        public var field: String
        public var message: String

        public init(tierIndex: Int, tierID: String, field: String, message: String) {
            self.tierIndex = tierIndex
            self.tierID = tierID
            self.field = field
            self.message = message
        }

        public var description: String {
            let name = tierID.isEmpty ? "" : " '\(tierID)'"
            return "tiers[\(tierIndex)]\(name): \(field): \(message)"
        }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the tier catalog has \(count):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
