import Foundation
import Purser
import PurserTestKit
import Testing

/// `purser tiers`, `tiers check`, `tiers import litellm`, and purser.yaml as `estimate` reads it,
/// through the real executable with a temporary data directory.
@Suite("purser tiers")
struct TiersCommandTests {
    typealias Outcome = PurserOutcome

    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory(prefix: "purser-tiers-home")
    }

    var configFile: URL { home.url.appendingPathComponent("purser.yaml") }

    func purser(_ arguments: String...) async throws -> Outcome { try await purser(arguments) }

    func purser(_ arguments: [String]) async throws -> Outcome {
        try await PurserProcess.run(arguments, home: home.path)
    }

    /// `../shared/prices/litellm-model-prices.json` from the repository root.
    static var priceMap: String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/prices/litellm-model-prices.json").standardizedFileURL.path
    }

    /// One fast tier that meets every example workflow's needs, served by `provider`.
    static func catalog(provider: String) -> String {
        """
        tiers:
          - id: fast
            provider: \(provider)
            model: fast-model
            prices: {input: 0.10, output: 0.40}
            latency: {ttft_p50: 0.05, ttft_p95: 0.1, output_tokens_per_second: 2000}
            reasoning_depth: high
            context_window: 200000
            max_output_tokens: 32000
            jurisdiction: us
          - id: fast-batch
            provider: \(provider)
            model: fast-model
            prices: {input: 0.05, output: 0.20}
            latency: {ttft_p50: 3600, ttft_p95: 43200, output_tokens_per_second: 2000}
            reasoning_depth: high
            context_window: 200000
            max_output_tokens: 32000
            jurisdiction: us
            batch: true
        """
    }

    @Test func listsTheBuiltInCatalogWithoutAConfigFile() async throws {
        let text = try await purser("tiers")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr == "catalog: built-in simulator tiers\n")
        #expect(text.stdout.hasPrefix("id "))
        for column in ["provider", "jurisdiction", "depth", "max out", "$/M in", "cached", "ttft p50/p95", "tok/s", "caps", "limit", "batch"] {
            #expect(text.stdout.contains(column), "\(column)")
        }
        for tier in SimulatorCatalog.tiers { #expect(text.stdout.contains(tier.id)) }
        #expect(text.stdout.contains("0.25/0.6 s"))

        let json = try await purser("tiers", "--json")
        #expect(json.status == 0)
        let tiers = try #require(try JSONValue(parsing: json.stdout).arrayValue)
        #expect(tiers.compactMap { $0["id"]?.stringValue } == SimulatorCatalog.tiers.map(\.id))
        #expect(tiers.first?["prices"]?["input"] == "0.10", "amounts are decimal strings")
        #expect(tiers.first?["capabilities"] == .array(["tools", "json"]))
        #expect(try await purser("tiers", "list", "--json").stdout == json.stdout)
    }

    @Test func listsAndChecksTheConfiguredCatalog() async throws {
        try Data(Self.catalog(provider: "simulator").utf8).write(to: configFile)
        let text = try await purser("tiers")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stderr == "catalog: \(configFile.path) (2 tiers)\n")
        #expect(text.stdout.contains("fast-batch"))
        #expect(!text.stdout.contains("sim-nano"))
        #expect(text.stdout.contains("3600/43200 s"))

        let check = try await purser("tiers", "check")
        #expect(check.status == 0)
        #expect(check.stdout == "ok: 2 tiers\n")
        #expect(check.stderr.isEmpty)
    }

    @Test func checkWithoutAFileSaysTheBuiltInCatalogIsUsed() async throws {
        let check = try await purser("tiers", "check")
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("ok: \(SimulatorCatalog.tiers.count) tiers"))
        #expect(check.stdout.contains("does not exist"))
    }

    @Test func anInvalidConfigurationExits78WithEveryProblem() async throws {
        let broken = Self.catalog(provider: "simulator")
            .replacingOccurrences(of: "prices: {input: 0.10, output: 0.40}", with: "prices: {input: 0.10, output: 0.4000001}")
            .replacingOccurrences(of: "id: fast-batch", with: "id: fast")
            .replacingOccurrences(of: "    batch: true", with: "    batch: true\n    color: blue")
        try Data(broken.utf8).write(to: configFile)
        let path = configFile.path
        for command in [["tiers", "check"], ["tiers"], ["tiers", "--json"], ["estimate", "support-triage"]] {
            let outcome = try await purser(command)
            #expect(outcome.status == 78, "\(command): \(outcome.stderr)")
            #expect(outcome.stdout.isEmpty, "\(command)")
            #expect(outcome.stderr.contains("error: \(path) has 3 problems:"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("\(path):5: tiers[0].prices.output: '0.4000001' has more than 6 decimal places"))
            #expect(outcome.stderr.contains("\(path):11: tiers[1].id: duplicate id 'fast': tiers[0] has it too"))
            #expect(outcome.stderr.contains("\(path):21: tiers[1].color: unknown key"))
        }
    }

    @Test func estimateNeedsSimulateForProvidersTheFileDoesNotSayHowToReach() async throws {
        try Data(Self.catalog(provider: "acme").utf8).write(to: configFile)
        let refused = try await purser("estimate", "support-triage")
        #expect(refused.status == 78)
        #expect(refused.stderr.contains("has tiers whose provider it does not say how to reach: fast (acme), fast-batch (acme)"))
        #expect(refused.stderr.contains("providers:"))
        #expect(refused.stderr.contains("pass --simulate"))

        let simulated = try await purser("estimate", "support-triage", "--simulate", "--json")
        #expect(simulated.status == 0, "\(simulated.stderr)")
        let estimate = try JSONValue(parsing: simulated.stdout)
        #expect(estimate["steps"]?.arrayValue?.isEmpty == false)
        #expect(simulated.stdout.contains("\"fast\""), "the estimate routes to the configured tier")

        let check = try await purser("tiers", "check")
        #expect(check.status == 0)
        #expect(check.stderr.contains("providers: does not say how to reach acme; run and estimate need an entry"))
    }

    @Test func aWellKnownProviderNeedsAnEndpointForEachTier() async throws {
        try Data(Self.catalog(provider: "openai").utf8).write(to: configFile)
        let refused = try await purser("estimate", "support-triage")
        #expect(refused.status == 78, "\(refused.stderr)")
        #expect(refused.stderr.contains("tier fast (openai) has no endpoint to call"), "\(refused.stderr)")
    }

    @Test func runRoutesOverTheConfiguredCatalogAndExplainsItsChoices() async throws {
        try Data(Self.catalog(provider: "acme").utf8).write(to: configFile)
        let refused = try await purser("run", "contract-review", "--speed", "instant")
        #expect(refused.status == 78)
        #expect(refused.stdout.isEmpty)
        #expect(refused.stderr.contains("pass --simulate"))

        let run = try await purser("run", "contract-review", "--simulate", "--speed", "instant", "--explain")
        #expect(run.status == 0, "\(run.stderr)")
        // Clause assessments are batch steps: they go to the half-price batch tier.
        #expect(run.stdout.contains("clauses/assess → fast-batch"), "\(run.stdout)")
        #expect(run.stdout.contains("fast: tooDear"))
        #expect(run.stdout.contains("fast-batch: tooSlow (a batch tier answers within hours; the step needs standard)"))

        let json = try await purser("run", "contract-review", "--simulate", "--speed", "instant", "--json")
        #expect(json.status == 0)
        let result = try JSONValue(parsing: json.stdout)
        let records = result["records"]?.arrayValue ?? []
        let assess = try #require(records.first { $0["stepID"] == "assess" })
        #expect(assess["decision"]?["tierID"] == "fast-batch")
        #expect(assess["decision"]?["rejected"]?.arrayValue?.first?["reason"] == "tooDear")
        #expect(assess["calls"]?.arrayValue?.count == 1)
    }

    @Test func importsTheLiteLLMPriceMapIntoALoadableCatalog() async throws {
        let imported = try await purser("tiers", "import", "litellm", Self.priceMap, "--provider", "openai", "--model", "gpt-4.1*")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("tiers (+ "))
        #expect(imported.stderr.contains("batch); filtered out"))
        #expect(imported.stdout.hasPrefix("# Purser tier catalog, imported from the LiteLLM price map litellm-model-prices.json"))
        #expect(imported.stdout.contains("Latencies are priors"))
        #expect(imported.stdout.contains("\ntiers:\n  - id: gpt-4.1\n"))
        #expect(imported.stdout.contains("  - id: gpt-4.1-mini\n    provider: openai\n    endpoint: https://api.openai.com/v1\n    model: gpt-4.1-mini\n    prices:\n      input: 0.40\n      cached_input: 0.10\n      output: 1.60\n"))

        try Data(imported.stdout.utf8).write(to: configFile)
        let check = try await purser("tiers", "check")
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.hasPrefix("ok: "))
        let listed = try await purser("tiers", "--json")
        let tiers = try #require(try JSONValue(parsing: listed.stdout).arrayValue)
        let batch = try #require(tiers.first { $0["id"] == "gpt-4.1-mini-batch" })
        #expect(batch["batch"] == .bool(true))
        #expect(batch["prices"]?["input"] == "0.20")
        #expect(batch["prices"]?["output"] == "0.80")

        let json = try await purser("tiers", "import", "litellm", Self.priceMap, "--model", "gpt-4.1-mini", "--json")
        #expect(json.status == 0)
        let jsonTiers = try #require(try JSONValue(parsing: json.stdout).arrayValue)
        #expect(jsonTiers.compactMap { $0["id"]?.stringValue } == ["gpt-4.1-mini", "gpt-4.1-mini-batch"])
    }

    @Test func importErrorsHaveTheirExitCodes() async throws {
        let directory = try TemporaryDirectory()
        let notJSON = try directory.write("prices.json", "model,price\n")
        let list = try directory.write("list.json", "[1, 2]")
        let cases: [([String], Int32, String)] = [
            (["tiers", "import", "litellm", "/no/such/prices.json"], 66, "cannot find the price map '/no/such/prices.json'"),
            (["tiers", "import", "litellm", notJSON.path], 65, "not a LiteLLM price map: invalid JSON"),
            (["tiers", "import", "litellm", list.path], 65, "expected a JSON object of models, got array"),
            (["tiers", "import", "litellm", Self.priceMap, "--model", "no-such-model*"], 65, "no entry of \(Self.priceMap) matched --model no-such-model*"),
            (["tiers", "import", "litellm"], 64, "Missing expected argument '<file>'"),
            (["tiers", "import", "csv", "x"], 64, "unexpected arguments"),
        ]
        for (arguments, status, message) in cases {
            // Not PurserProcess.run: that adds the caller's environment, and these runs must see
            // nothing but PURSER_HOME.
            let home = home.path
            let outcome = try await ChildProcess.run(
                CLITests.executable, arguments, environment: ["PURSER_HOME": home], inheritEnvironment: false)
            let (exitStatus, stderr, stdout) = (outcome.status, outcome.stderr, outcome.stdoutData)
            #expect(exitStatus == status, "\(arguments): \(stderr)")
            #expect(stderr.contains(message), "\(arguments): \(stderr)")
            if status != 64 { #expect(stdout.isEmpty, "\(arguments)") }
        }
    }
}
