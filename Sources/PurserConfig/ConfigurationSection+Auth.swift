import Foundation
import Yams

extension ConfigurationSection {
    /// `auth:`, the API tokens: `tokens:`, a list of name, role, sha256 and created, in the
    /// schema ``AuthSectionWriter`` writes. No list (or an empty one) is no tokens.
    static let auth = ConfigurationSection(key: "auth") { node, path, reader, configuration in
        guard let map = reader.mapping(node, at: path, keys: ["tokens"]),
            let items = reader.field("tokens", in: map, required: false, { $0.sequence($1, at: $2) })
        else { return }
        let tokensPath = path.appending("tokens")
        let decoded = items.enumerated().map { index, item in
            TokenDecoder.decode(item, at: tokensPath.appending(index: index), reader: &reader)
        }
        // Name and hash rules, duplicates included, each problem put back on the line that set
        // the field; a duplicate also names the line of the token it repeats.
        for problem in AuthConfiguration.problems(in: decoded.map(\.token)) {
            let token = decoded[problem.tokenIndex]
            guard !token.unreadFields.contains(problem.field) else { continue }
            var message = problem.message
            if let first = problem.duplicateOf {
                let line = decoded[first].line(of: problem.field).map { " on line \($0)" } ?? ""
                message += ": auth.tokens[\(first)]\(line) has it too"
            }
            reader.report(
                message, at: tokensPath.appending(index: problem.tokenIndex).appending(problem.field),
                line: token.line(of: problem.field))
        }
        // Any problem above was reported, so the loader throws; only a clean list is kept.
        configuration.auth = (try? AuthConfiguration(tokens: decoded.map(\.token))) ?? .empty
    }
}

/// One API token read from its YAML mapping.
///
/// Like ``TierDecoder``: a field that cannot be read gets a placeholder and is remembered in
/// ``unreadFields``, so the others are still checked (a duplicate name is found even when the
/// same token has a bad role) without reporting the placeholders.
struct TokenDecoder {
    static let keys = ["name", "role", "sha256", "created"]

    private(set) var token = APIToken(name: "", role: .service, hash: "", created: Date(timeIntervalSince1970: 0))
    private(set) var unreadFields: Set<String> = []
    private var lines: [String: Int] = [:]
    private let mappingLine: Int?

    func line(of field: String) -> Int? { lines[field] ?? mappingLine }

    static func decode(_ node: YAMLNode, at path: ConfigKeyPath, reader: inout YAMLReader) -> TokenDecoder {
        var decoder = TokenDecoder(mappingLine: node.mark?.line)
        guard let map = reader.mapping(node, at: path, keys: keys) else {
            decoder.unreadFields = Set(keys)
            return decoder
        }
        if let name = decoder.take("name", in: map, reader: &reader, { $0.string($1, at: $2) }) {
            decoder.token.name = name
        }
        if let role = decoder.take("role", in: map, reader: &reader, { $0.choice($1, at: $2, as: APIRole.self) }) {
            decoder.token.role = role
        }
        if let hash = decoder.take("sha256", in: map, reader: &reader, { $0.string($1, at: $2) }) {
            decoder.token.hash = hash
        }
        if let created = decoder.take("created", in: map, reader: &reader, { $0.timestamp($1, at: $2) }) {
            decoder.token.created = created
        }
        return decoder
    }

    private init(mappingLine: Int?) {
        self.mappingLine = mappingLine
    }

    /// Reads the required `key` from `map`, noting where it was written, or marks it unread.
    private mutating func take<T>(
        _ key: String, in map: YAMLMapping, reader: inout YAMLReader,
        _ read: (inout YAMLReader, YAMLNode, ConfigKeyPath) -> T?
    ) -> T? {
        if let line = map.member(key).flatMap({ $0.value.mark?.line }) { lines[key] = line }
        let value = reader.field(key, in: map, read)
        if value == nil { unreadFields.insert(key) }
        return value
    }
}
