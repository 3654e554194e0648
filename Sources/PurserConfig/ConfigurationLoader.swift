import Foundation
import Yams

/// Reads `purser.yaml`, Purser's one configuration file, into a ``PurserConfiguration``.
///
/// The whole file is checked before anything is used: every problem (YAML syntax, wrong
/// types, unknown keys, invalid tiers) is reported at once, each with its line.
public enum ConfigurationLoader {
    /// The file's name in the data directory.
    public static let fileName = "purser.yaml"

    /// Loads `file`; a file that does not exist is the default configuration.
    public static func load(file: URL) throws(ConfigurationError) -> PurserConfiguration {
        guard FileManager.default.fileExists(atPath: file.path) else { return .default }
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw ConfigurationError(
                file: file.path,
                problems: [.init(file: file.path, line: nil, keyPath: "", message: "cannot read: \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(
                file: file.path, problems: [.init(file: file.path, line: nil, keyPath: "", message: "is not UTF-8 text")])
        }
        return try parse(yaml: text, file: file.path)
    }

    /// Reads configuration text; `file` names it in error messages.
    public static func parse(yaml text: String, file: String = fileName) throws(ConfigurationError) -> PurserConfiguration {
        var reader = YAMLReader(file: file)
        var configuration = PurserConfiguration.default
        let root: YAMLNode?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(file: file, problems: [syntaxProblem(error, file: file)])
        }
        // An empty file (or one with only comments) configures nothing.
        if let root, !isEmptyDocument(root),
            let document = reader.mapping(root, at: .root, keys: ConfigurationSection.all.map(\.key))
        {
            for section in ConfigurationSection.all {
                guard let node = reader.value(section.key, in: document, required: false) else { continue }
                section.read(node, ConfigKeyPath.root.appending(section.key), &reader, &configuration)
            }
        }
        guard reader.problems.isEmpty else {
            let ordered = reader.problems.enumerated().sorted { lhs, rhs in
                (lhs.element.line ?? 0, lhs.offset) < (rhs.element.line ?? 0, rhs.offset)
            }
            throw ConfigurationError(file: file, problems: ordered.map(\.element))
        }
        return configuration
    }

    private static func isEmptyDocument(_ node: YAMLNode) -> Bool {
        if case .scalar(let scalar) = node { return YAMLReader.isNull(scalar) }
        return false
    }

    /// A YAML error as a problem on its line.
    static func syntaxProblem(_ error: any Error, file: String) -> ConfigurationError.Problem {
        func problem(_ mark: Mark?, _ message: String) -> ConfigurationError.Problem {
            .init(file: file, line: mark?.line, keyPath: "", message: message)
        }
        guard let yamlError = error as? YamlError else {
            return problem(nil, "is not valid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let text, let mark, _), .parser(let context, let text, let mark, _),
            .composer(let context, let text, let mark, _):
            let during = context.map { " (\($0.text), line \($0.mark.line))" } ?? ""
            return problem(mark, "invalid YAML: \(text)\(during)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return problem(context.mark, "invalid YAML: the key \(keys) appears more than once in one mapping")
        case .reader(let text, _, _, _):
            return problem(nil, "is not valid YAML text: \(text)")
        default:
            return problem(nil, "is not valid YAML: \(yamlError)")
        }
    }
}
