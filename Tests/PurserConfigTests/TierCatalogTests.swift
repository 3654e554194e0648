import Purser
import Testing

@Suite("Tier catalog validation")
struct TierCatalogTests {
    /// A valid tier to break one field of at a time.
    static func valid(_ id: String = "good") -> Tier {
        Tier(
            id: id, provider: "openai", model: "gpt-4.1-mini",
            pricing: Pricing(inputPerMillion: Money(micros: 400_000), outputPerMillion: Money(micros: 1_600_000)),
            latency: LatencyModel(timeToFirstTokenP50: 0.4, timeToFirstTokenP95: 1.2, outputTokensPerSecond: 90),
            reasoningDepth: .none, contextWindow: 1_047_576, maxOutputTokens: 32_768, jurisdiction: .us,
            endpoint: "https://api.openai.com/v1")
    }

    static func problems(_ change: (inout Tier) -> Void) -> [TierCatalogError.Problem] {
        var tier = valid()
        change(&tier)
        return TierCatalog.problems(in: [tier])
    }

    @Test func acceptsValidTiersAndTheBuiltInCatalog() throws {
        let catalog = try TierCatalog([Self.valid("a"), Self.valid("b")])
        #expect(catalog.tiers.map(\.id) == ["a", "b"])
        #expect(catalog.tier(id: "b")?.model == "gpt-4.1-mini")
        #expect(TierCatalog.builtIn.tiers == SimulatorCatalog.tiers)
        #expect(TierCatalog.problems(in: SimulatorCatalog.tiers).isEmpty)
    }

    /// One way to break a valid tier, and the field the catalog must blame.
    enum Breakage: String, CaseIterable, Sendable {
        case emptyID, uppercaseID, spaceInID, slashInID, emptyProvider, emptyModel
        case negativeInput, negativeCached, negativeOutput, negativeReasoning
        case negativeP50, p95BelowP50, infiniteP95, zeroRate, nanRate, infiniteRate
        case zeroContext, zeroMaxOutput, maxOutputOverContext, zeroConcurrency
        case emptyJurisdiction, spaceInJurisdiction, endpointWithoutScheme, ftpEndpoint, endpointWithoutHost

        var field: String {
            switch self {
            case .emptyID, .uppercaseID, .spaceInID, .slashInID: "id"
            case .emptyProvider: "provider"
            case .emptyModel: "model"
            case .negativeInput: "prices.input"
            case .negativeCached: "prices.cached_input"
            case .negativeOutput: "prices.output"
            case .negativeReasoning: "prices.reasoning"
            case .negativeP50: "latency.ttft_p50"
            case .p95BelowP50, .infiniteP95: "latency.ttft_p95"
            case .zeroRate, .nanRate, .infiniteRate: "latency.output_tokens_per_second"
            case .zeroContext: "context_window"
            case .zeroMaxOutput, .maxOutputOverContext: "max_output_tokens"
            case .zeroConcurrency: "concurrency_limit"
            case .emptyJurisdiction, .spaceInJurisdiction: "jurisdiction"
            case .endpointWithoutScheme, .ftpEndpoint, .endpointWithoutHost: "endpoint"
            }
        }

        func apply(to tier: inout Tier) {
            switch self {
            case .emptyID: tier.id = ""
            case .uppercaseID: tier.id = "GPT"
            case .spaceInID: tier.id = "a b"
            case .slashInID: tier.id = "openai/gpt"
            case .emptyProvider: tier.provider = " "
            case .emptyModel: tier.model = ""
            case .negativeInput: tier.pricing.inputPerMillion = Money(micros: -1)
            case .negativeCached: tier.pricing.cachedInputPerMillion = Money(micros: -1)
            case .negativeOutput: tier.pricing.outputPerMillion = Money(micros: -1)
            case .negativeReasoning: tier.pricing.reasoningPerMillion = Money(micros: -5)
            case .negativeP50: tier.latency.timeToFirstTokenP50 = -0.1
            case .p95BelowP50: tier.latency.timeToFirstTokenP95 = 0.3
            case .infiniteP95: tier.latency.timeToFirstTokenP95 = .infinity
            case .zeroRate: tier.latency.outputTokensPerSecond = 0
            case .nanRate: tier.latency.outputTokensPerSecond = .nan
            case .infiniteRate: tier.latency.outputTokensPerSecond = .infinity
            case .zeroContext:
                tier.contextWindow = 0
                tier.maxOutputTokens = 1
            case .zeroMaxOutput: tier.maxOutputTokens = 0
            case .maxOutputOverContext: tier.maxOutputTokens = 2_000_000
            case .zeroConcurrency: tier.concurrencyLimit = 0
            case .emptyJurisdiction: tier.jurisdiction = ""
            case .spaceInJurisdiction: tier.jurisdiction = "the moon"
            case .endpointWithoutScheme: tier.endpoint = "api.openai.com/v1"
            case .ftpEndpoint: tier.endpoint = "ftp://example.com"
            case .endpointWithoutHost: tier.endpoint = "https://"
            }
        }
    }

    @Test(arguments: Breakage.allCases)
    func reportsEachProblemUnderItsField(breakage: Breakage) {
        let problems = Self.problems(breakage.apply)
        #expect(problems.map(\.field) == [breakage.field], "\(problems)")
        #expect(problems.first?.tierIndex == 0)
    }

    @Test func acceptsTheEdgesOfEachRange() {
        #expect(Self.problems { $0.latency = LatencyModel(timeToFirstTokenP50: 0, timeToFirstTokenP95: 0, outputTokensPerSecond: 0.001) }.isEmpty)
        #expect(Self.problems { $0.maxOutputTokens = $0.contextWindow }.isEmpty)
        #expect(Self.problems { $0.pricing = .free }.isEmpty)
        #expect(Self.problems { $0.id = "a.b-c_d:1" }.isEmpty)
        #expect(Self.problems { $0.endpoint = "http://127.0.0.1:8089/v1" }.isEmpty)
        #expect(Self.problems { $0.concurrencyLimit = 1 }.isEmpty)
        #expect(Self.problems { $0.jurisdiction = "eu-west" }.isEmpty)
    }

    @Test func collectsEveryProblemOfEveryTierIncludingDuplicates() throws {
        var broken = Self.valid("b")
        broken.pricing.outputPerMillion = Money(micros: -1)
        broken.contextWindow = 0
        let error = try #require(throws: TierCatalogError.self) {
            try TierCatalog([Self.valid("a"), broken, Self.valid("a")])
        }
        #expect(error.problems.map(\.tierIndex) == [1, 1, 2])
        #expect(error.problems.map(\.field) == ["prices.output", "context_window", "id"])
        #expect(error.problems[2].message.contains("duplicate id 'a'"))
        #expect(error.problems[2].message.contains("tiers[0]"))
        #expect(error.description.hasPrefix("the tier catalog has 3 problems:"))
        #expect(error.description.contains("tiers[1] 'b': prices.output: must not be negative"))
    }
}
