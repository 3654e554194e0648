import Foundation
import Purser
import PurserConfig
import PurserTestKit
import Testing

@Suite("purser.yaml loading")
struct ConfigurationLoaderTests {
    static let example = """
        # Two tiers.
        tiers:
          - id: gpt-4.1-mini
            provider: openai
            endpoint: https://api.openai.com/v1   # optional
            model: gpt-4.1-mini
            prices:              # dollars per million tokens
              input: 0.40
              cached_input: 0.10
              output: 1.60
              reasoning: 1.60
            latency:
              ttft_p50: 0.4
              ttft_p95: 1.2
              output_tokens_per_second: 90
            reasoning_depth: none
            context_window: 1047576
            max_output_tokens: 32768
            capabilities: [tools, json]
            jurisdiction: us
            concurrency_limit: 64
            batch: false
          - id: local-small
            provider: simulator
            model: "small"
            prices: {input: "0.000001", output: 0}
            latency: {ttft_p50: 0, ttft_p95: 0.5, output_tokens_per_second: 1_000}
            reasoning_depth: low
            context_window: 8_192
            max_output_tokens: 1024
            jurisdiction: no
        """

    /// Loads `yaml` expecting failure, and returns the problems' descriptions.
    static func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse(yaml: yaml)
        }
        return error.problems.map(\.description)
    }

    /// The example's first tier alone, with `line` replacing the line that sets `key` (or
    /// dropping it when `line` is nil).
    static func tier(replacing key: String, with line: String?) -> String {
        let lines = example.split(separator: "\n", omittingEmptySubsequences: false).prefix(22)
        var out: [String] = []
        var skippingDeeperThan: Int?
        for existing in lines {
            let indent = existing.prefix { $0 == " " }.count
            if let depth = skippingDeeperThan, indent > depth { continue }
            skippingDeeperThan = nil
            if existing.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") {
                // The key's nested lines (a mapping's members) go with it.
                skippingDeeperThan = indent
                if let line { out.append(line) }
            } else {
                out.append(String(existing))
            }
        }
        return out.joined(separator: "\n")
    }

    @Test func loadsEveryFieldExactly() throws {
        let configuration = try ConfigurationLoader.parse(yaml: Self.example)
        let tiers = try #require(configuration.declaredTiers).tiers
        #expect(tiers.count == 2)
        let mini = tiers[0]
        #expect(mini.id == "gpt-4.1-mini")
        #expect(mini.provider == "openai")
        #expect(mini.endpoint == "https://api.openai.com/v1")
        #expect(mini.model == "gpt-4.1-mini")
        #expect(mini.pricing.inputPerMillion == Money(micros: 400_000))
        #expect(mini.pricing.cachedInputPerMillion == Money(micros: 100_000))
        #expect(mini.pricing.outputPerMillion == Money(micros: 1_600_000))
        #expect(mini.pricing.reasoningPerMillion == Money(micros: 1_600_000))
        #expect(mini.latency == LatencyModel(timeToFirstTokenP50: 0.4, timeToFirstTokenP95: 1.2, outputTokensPerSecond: 90))
        #expect(mini.reasoningDepth == ReasoningDepth.none)
        #expect(mini.contextWindow == 1_047_576)
        #expect(mini.maxOutputTokens == 32_768)
        #expect(mini.capabilities == [.tools, .json])
        #expect(mini.jurisdiction == .us)
        #expect(mini.concurrencyLimit == 64)
        #expect(mini.batch == false)

        let small = tiers[1]
        #expect(small.model == "small")
        #expect(small.endpoint == nil)
        #expect(small.pricing.inputPerMillion == Money(micros: 1))
        #expect(small.pricing.cachedInputPerMillion == Money(micros: 1), "cached input defaults to input")
        #expect(small.pricing.reasoningPerMillion == nil, "reasoning defaults to the output price")
        #expect(small.latency.outputTokensPerSecond == 1000)
        #expect(small.contextWindow == 8192)
        #expect(small.capabilities == [.tools, .json], "both capabilities by default")
        #expect(small.jurisdiction == "no", "YAML 1.1's 'no' is Norway here, not false")
        #expect(small.concurrencyLimit == nil)
        #expect(configuration.tierCatalog.tiers == tiers)
    }

    @Test(arguments: ["", "# nothing yet\n", "---\n", "tiers:\n", "tiers: ~\n"])
    func noTiersMeansTheBuiltInCatalog(yaml: String) throws {
        let configuration = try ConfigurationLoader.parse(yaml: yaml)
        #expect(configuration.declaredTiers == nil)
        #expect(configuration.tierCatalog == .builtIn)
    }

    @Test func aMissingFileIsTheDefaultAndARealFileNamesItsPath() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.url.appendingPathComponent("purser.yaml")
        #expect(try ConfigurationLoader.load(file: missing) == .default)

        let file = try directory.write("purser.yaml", "tiers:\n  - id: x\n")
        let error = try #require(throws: ConfigurationError.self) { try ConfigurationLoader.load(file: file) }
        #expect(error.file == file.path)
        #expect(error.problems.first?.description.hasPrefix("\(file.path):2: tiers[0].provider: missing") == true)

        let written = try directory.write("ok.yaml", Self.example)
        #expect(try ConfigurationLoader.load(file: written).declaredTiers?.tiers.count == 2)
    }

    @Test func anEmptyListIsAnError() throws {
        #expect(try Self.problems("tiers: []\n") == [
            "purser.yaml:1: tiers: the list is empty; declare at least one tier, or remove 'tiers:' to use the built-in simulator tiers"
        ])
    }

    @Test(arguments: [
        // A bad amount names the line, the key path and what was written.
        ("output", "      output: abc", "purser.yaml:10: tiers[0].prices.output: expected a decimal amount such as 0.15, got 'abc'"),
        ("output", "      output: 0.0000001", "purser.yaml:10: tiers[0].prices.output: '0.0000001' has more than 6 decimal places"),
        ("output", "      output: 1e-6", "purser.yaml:10: tiers[0].prices.output: expected a decimal amount such as 0.15, got '1e-6'"),
        ("input", "      input: -0.40", "purser.yaml:8: tiers[0].prices.input: must not be negative, got '-0.40'"),
        ("output", "      output: [1]", "purser.yaml:10: tiers[0].prices.output: expected a decimal amount such as 0.15, got a list"),
        // Wrong types.
        ("context_window", "    context_window: big", "purser.yaml:17: tiers[0].context_window: expected a whole number such as 128000, got 'big'"),
        ("context_window", "    context_window: 1.5", "purser.yaml:17: tiers[0].context_window: expected a whole number such as 128000, got '1.5'"),
        ("context_window", "    context_window: \"1000\"", "purser.yaml:17: tiers[0].context_window: expected a whole number such as 128000, got '1000'"),
        ("ttft_p50", "      ttft_p50: fast", "purser.yaml:13: tiers[0].latency.ttft_p50: expected a number such as 0.4, got 'fast'"),
        ("ttft_p50", "      ttft_p50: .inf", "purser.yaml:13: tiers[0].latency.ttft_p50: expected a number such as 0.4, got '.inf'"),
        ("batch", "    batch: yes", "purser.yaml:22: tiers[0].batch: expected true or false, got 'yes'"),
        ("reasoning_depth", "    reasoning_depth: deep", "purser.yaml:16: tiers[0].reasoning_depth: expected one of none, low, medium, high, got 'deep'"),
        ("capabilities", "    capabilities: [tools, vision]", "purser.yaml:19: tiers[0].capabilities[1]: expected one of tools, json, got 'vision'"),
        ("capabilities", "    capabilities: tools", "purser.yaml:19: tiers[0].capabilities: expected a list, got 'tools'"),
        ("model", "    model: {name: x}", "purser.yaml:6: tiers[0].model: expected a string, got a mapping"),
        ("prices", "    prices: 0.40", "purser.yaml:7: tiers[0].prices: expected a mapping of input, cached_input, cache_write, ..., got '0.40'"),
        // Missing required keys point at the tier (or the key written without a value).
        ("model", nil, "purser.yaml:3: tiers[0].model: missing; it is required"),
        ("model", "    model:", "purser.yaml:6: tiers[0].model: has no value; it is required"),
        ("jurisdiction", nil, "purser.yaml:3: tiers[0].jurisdiction: missing; it is required"),
        // Unknown keys are typos until proven otherwise.
        ("batch", "    bacth: false", "purser.yaml:22: tiers[0].bacth: unknown key (did you mean 'batch'?) (known: id, provider, endpoint, model, prices, latency, reasoning_depth, context_window, max_output_tokens, capabilities, jurisdiction, concurrency_limit, batch)"),
        ("output", "      output: 1.60\n      discount: 2", "purser.yaml:11: tiers[0].prices.discount: unknown key (known: input, cached_input, cache_write, output, reasoning)"),
        // Catalog rules, put back on the line that set the field.
        ("ttft_p95", "      ttft_p95: 0.1", "purser.yaml:14: tiers[0].latency.ttft_p95: must be at least ttft_p50 (0.4); got 0.1"),
        ("max_output_tokens", "    max_output_tokens: 2000000", "purser.yaml:18: tiers[0].max_output_tokens: 2000000 is more than the context window (1047576)"),
        ("endpoint", "    endpoint: api.openai.com", "purser.yaml:5: tiers[0].endpoint: 'api.openai.com' is not an http(s) URL such as https://api.openai.com/v1"),
        ("id", nil, "purser.yaml:3: tiers[0].id: 'GPT 4' has 'G'; use lowercase letters"),
        ("concurrency_limit", "    concurrency_limit: 0", "purser.yaml:21: tiers[0].concurrency_limit: must be at least 1 (got 0)"),
    ] as [(String, String?, String)])
    func reportsBadValuesWithLineAndKeyPath(key: String, line: String?, expected: String) throws {
        var yaml = Self.tier(replacing: key, with: line)
        if key == "id" { yaml = yaml.replacingOccurrences(of: "  - id: gpt-4.1-mini", with: "  - id: GPT 4") }
        let problems = try Self.problems(yaml)
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
    }

    @Test func unknownTopLevelKeysAreRejected() throws {
        #expect(try Self.problems("teirs:\n  - id: x\n") == [
            "purser.yaml:1: teirs: unknown key (did you mean 'tiers'?) (known: tiers, providers, server, client, auth)"
        ])
        #expect(try Self.problems("- just\n- a list\n").first?.hasPrefix("purser.yaml:1: expected a mapping of tiers, providers, server, ..., got a list") == true)
    }

    @Test func collectsEveryProblemAcrossTiersIncludingDuplicateIDs() throws {
        let yaml = Self.example
            .replacingOccurrences(of: "output: 1.60", with: "output: -1")
            .replacingOccurrences(of: "id: local-small", with: "id: gpt-4.1-mini")
            .replacingOccurrences(of: "max_output_tokens: 1024", with: "max_output_tokens: lots")
        let problems = try Self.problems(yaml)
        #expect(problems == [
            "purser.yaml:10: tiers[0].prices.output: must not be negative, got '-1'",
            "purser.yaml:23: tiers[1].id: duplicate id 'gpt-4.1-mini': tiers[0] has it too",
            "purser.yaml:30: tiers[1].max_output_tokens: expected a whole number such as 16384, got 'lots'",
        ])
    }

    @Test func aTierThatIsNotAMappingIsOneProblem() throws {
        #expect(try Self.problems("tiers:\n  - gpt-4.1-mini\n") == [
            "purser.yaml:2: tiers[0]: expected a mapping of id, provider, endpoint, ..., got 'gpt-4.1-mini'"
        ])
    }

    @Test func yamlSyntaxErrorsNameTheirLine() throws {
        let unclosed = try Self.problems("tiers:\n  - id: x\n    model: [a, b\n")
        #expect(unclosed.count == 1)
        #expect(unclosed[0].hasPrefix("purser.yaml:4: invalid YAML:"), "\(unclosed)")

        let badIndent = try Self.problems("tiers:\n  - id: x\n   model: y\n")
        #expect(badIndent.count == 1)
        #expect(badIndent[0].hasPrefix("purser.yaml:3: invalid YAML:"), "\(badIndent)")

        let duplicateKey = try Self.problems("tiers:\n  - id: x\n    id: y\n")
        #expect(duplicateKey == ["purser.yaml:2: invalid YAML: the key 'id' appears more than once in one mapping"])
    }

    @Test func theErrorDescriptionIsOneProblemALine() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try ConfigurationLoader.parse(yaml: "tiers:\n  - id: x\n", file: "/home/me/.purser/purser.yaml")
        }
        let lines = error.description.split(separator: "\n")
        #expect(lines.count == error.problems.count)
        #expect(lines.allSatisfy { $0.hasPrefix("/home/me/.purser/purser.yaml:2: tiers[0].") })
    }
}
