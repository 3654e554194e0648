import Foundation
import Purser
import PurserConfig

/// `purser.yaml` in the data directory: the tier catalog (and, later, budgets and the server).
struct ConfigurationFile {
    let directory: DataDirectory

    var url: URL { directory.file(ConfigurationLoader.fileName) }

    var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// The configuration, or the default when there is no file; a file with problems fails
    /// with ``ExitCodes/configuration`` listing every one.
    func load() throws(CLIFailure) -> PurserConfiguration {
        do {
            return try ConfigurationLoader.load(file: url)
        } catch {
            throw CLIFailure.configuration(error)
        }
    }

    /// Where the catalog in use comes from, for logs: `/path/purser.yaml (7 tiers)` or the built-in tiers.
    func describeCatalog(_ configuration: PurserConfiguration) -> String {
        guard let declared = configuration.declaredTiers else { return "built-in simulator tiers" }
        return "\(url.path) (\(declared.tiers.count) tier\(declared.tiers.count == 1 ? "" : "s"))"
    }
}

extension CLIFailure {
    /// Every problem of an invalid configuration, one a line (`file:line: key.path: problem`).
    static func configuration(_ error: ConfigurationError) -> CLIFailure {
        let count = error.problems.count
        let message =
            count == 1
            ? error.description
            : "\(error.file) has \(count) problems:\n\(error.description)"
        return CLIFailure(message: message, exitCode: ExitCodes.configuration)
    }
}
