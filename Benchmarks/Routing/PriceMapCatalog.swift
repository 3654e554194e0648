import Foundation
import Purser
import PurserConfig

/// The savings benchmark's catalog: real models and list prices from LiteLLM's price map,
/// imported with `PurserConfig`'s importer (so latency priors, depths and jurisdictions are
/// the ones `purser tiers import` would give a user).
///
/// Takes the chat models of OpenAI, Anthropic, Mistral, Gemini, DeepSeek, Groq and xAI, plus
/// the EU and UK (London) deployments on Azure and Bedrock, so that jurisdiction-bound steps
/// have real choices. Leaves out what a text workflow would not call (fine-tunes, audio,
/// realtime, search, image, computer-use and research models), free entries, and aliases:
/// tiers identical in everything but their name (`gpt-4.1` and `gpt-4.1-2025-04-14`) count
/// once, or the oracle would get several independent draws of one model's latency.
enum PriceMapCatalog {
    static let providers = ["openai", "anthropic", "mistral", "gemini", "deepseek", "groq", "xai"]
    static let regionalDeployments = ["azure/eu/*", "bedrock/eu-west-2/*", "eu.*"]
    static let excludedWords = [
        "ft:", "audio", "realtime", "search", "computer-use", "tts", "deep-research", "robotics", "lyria", "guard",
        "image", "embed", "container", "vision-exp", "voxtral", "ocr", "moderation", "transcri",
    ]
    static let fileName = "litellm-model-prices.json"

    struct Loaded {
        var tiers: [Tier]
        var path: String
        var aliasesDropped: Int
    }

    struct LoadError: Error, CustomStringConvertible {
        var description: String
    }

    static func load(path explicit: String?) throws -> Loaded {
        guard let path = explicit ?? locate() else {
            throw LoadError(
                description: "cannot find \(fileName): looked in ../shared/prices and shared/prices from the "
                    + "current directory and the repository root; pass --prices PATH")
        }
        let json: String
        do {
            json = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw LoadError(description: "cannot read \(path): \(error.localizedDescription)")
        }
        let main = try LiteLLMImporter(providers: providers).importPriceMap(json: json)
        let regional = try LiteLLMImporter(modelPatterns: regionalDeployments).importPriceMap(json: json)
        var seenIDs: Set<String> = []
        var seenShapes: Set<Tier> = []
        var tiers: [Tier] = []
        var aliases = 0
        for tier in main.tiers + regional.tiers where usable(tier) && seenIDs.insert(tier.id).inserted {
            var shape = tier
            shape.id = ""
            shape.model = ""
            guard seenShapes.insert(shape).inserted else {
                aliases += 1
                continue
            }
            tiers.append(tier)
        }
        tiers.sort { $0.id < $1.id }
        return Loaded(tiers: tiers, path: path, aliasesDropped: aliases)
    }

    private static func usable(_ tier: Tier) -> Bool {
        if tier.pricing.inputPerMillion == .zero, tier.pricing.outputPerMillion == .zero { return false }
        return !excludedWords.contains { tier.id.contains($0) }
    }

    /// The price map in CI's layout (`../shared/prices` beside the repository), from the current
    /// directory or from this source file's repository.
    private static func locate() -> String? {
        let fileManager = FileManager.default
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let roots = [URL(fileURLWithPath: fileManager.currentDirectoryPath), repository]
        for root in roots {
            for relative in ["../shared/prices", "shared/prices"] {
                let candidate = root.appendingPathComponent(relative).appendingPathComponent(fileName).standardized.path
                if fileManager.fileExists(atPath: candidate) { return candidate }
            }
        }
        return nil
    }
}
