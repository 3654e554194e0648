import ArgumentParser
import Foundation
import Purser
import PurserConfig

/// `purser tiers import FORMAT FILE`: a catalog from someone else's price list.
struct TiersImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Convert a price list into purser.yaml tiers, printed on standard output.",
        subcommands: [ImportLiteLLMCommand.self]
    )
}

/// `purser tiers import litellm FILE`: LiteLLM's model price map as `purser.yaml` tiers.
struct ImportLiteLLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "litellm",
        abstract: "Convert LiteLLM's model price map (JSON, dollars per token) into purser.yaml tiers.",
        discussion: """
            Imports chat models that have input and output prices, plus a '-batch' tier where the map \
            has batch prices. Latencies are priors (the map has none) and jurisdiction and reasoning depth \
            are guessed from the key and the price: review the output before using it. Prints YAML on \
            standard output (redirect it to purser.yaml) and counts on standard error. \
            Exit codes: 66 FILE missing or unreadable; 65 FILE is not a price map, or no entry matched.
            """
    )

    @Argument(help: "The price map, e.g. model_prices_and_context_window.json.")
    var file: String

    @Option(name: .customLong("provider"), help: "Keep entries of this litellm_provider (repeatable).")
    var providers: [String] = []

    @Option(name: .customLong("model"), help: "Keep entries whose key matches this glob, with * and ? (repeatable).")
    var models: [String] = []

    @Flag(help: "Print one JSON document (the list of tiers) instead of YAML.")
    var json = false

    func run() throws {
        do {
            let text = try readFile()
            let result: LiteLLMImportResult
            do {
                result = try LiteLLMImporter(providers: providers, modelPatterns: models).importPriceMap(json: text)
            } catch {
                throw CLIFailure(message: "\(file): \(error)", exitCode: ExitCodes.invalidInput)
            }
            Terminal.standardError.write("\(file): \(result.summary)\n")
            // Invalid entries are few and worth a look (often an embedding model filed as chat).
            let invalid = result.invalidEntries.sorted { $0.key < $1.key }
            for (key, problem) in invalid.prefix(10) { Terminal.standardError.write("  skipped \(key): \(problem)\n") }
            if invalid.count > 10 { Terminal.standardError.write("  ... and \(invalid.count - 10) more invalid entries\n") }
            guard !result.tiers.isEmpty else {
                throw CLIFailure(message: "no entry of \(file) matched\(filterDescription)", exitCode: ExitCodes.invalidInput)
            }
            if json {
                Terminal.standardOutput.write(TierTable.json(result.tiers).prettyJSON + "\n")
            } else {
                Terminal.standardOutput.write(TierCatalogWriter.yaml(result.tiers, header: header(result)))
            }
        } catch let failure as CLIFailure {
            Self.exit(with: failure)
        }
    }

    private func readFile() throws(CLIFailure) -> String {
        guard FileManager.default.fileExists(atPath: file) else {
            throw CLIFailure(message: "cannot find the price map '\(file)'", exitCode: ExitCodes.notFound)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIFailure(message: "cannot read the price map '\(file)'", exitCode: ExitCodes.notFound)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIFailure(message: "the price map '\(file)' is not UTF-8 text", exitCode: ExitCodes.invalidInput)
        }
        return text
    }

    private var filterDescription: String {
        var parts: [String] = []
        if !providers.isEmpty { parts.append("--provider " + providers.joined(separator: ", ")) }
        if !models.isEmpty { parts.append("--model " + models.joined(separator: ", ")) }
        return parts.isEmpty ? " (it has no chat models with prices)" : " " + parts.joined(separator: " and ")
    }

    private func header(_ result: LiteLLMImportResult) -> [String] {
        var lines = ["Purser tier catalog, imported from the LiteLLM price map \(URL(fileURLWithPath: file).lastPathComponent)"]
        var filters: [String] = providers.map { "--provider \($0)" }
        filters += models.map { "--model '\($0)'" }
        lines.append("by `purser tiers import litellm\(filters.isEmpty ? "" : " " + filters.joined(separator: " "))`: \(result.summary).")
        lines += [
            "",
            "Prices are the map's, in dollars per million tokens. Latencies are priors (the map has none);",
            "the router learns real ones at run time. Jurisdiction and reasoning depth are guesses from the",
            "key and the output price: check them before relying on them. Edit freely; `purser tiers check`",
            "validates the file.",
        ]
        return lines
    }
}
