/// What a budget covers, written `global`, `workflow:NAME`, `tag:KEY=VALUE` or `run` in the
/// CLI, the API, the config and reports.
public enum BudgetScope: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// Every call.
    case global
    /// Calls of runs of one workflow.
    case workflow(String)
    /// Calls of runs carrying a tag (`team=support`).
    case tag(key: String, value: String)
    /// A cap every single run gets on its own.
    case run

    /// Parses the written form; the error says what a scope looks like.
    public init(parsing text: String) throws(BudgetInputError) {
        if text == "global" { self = .global; return }
        if text == "run" { self = .run; return }
        if text.hasPrefix("workflow:") {
            let name = String(text.dropFirst("workflow:".count))
            guard !name.isEmpty else { throw BudgetInputError("scope 'workflow:' needs a workflow name") }
            self = .workflow(name)
            return
        }
        if text.hasPrefix("tag:") {
            let pair = text.dropFirst("tag:".count).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw BudgetInputError("scope '\(text)' must be tag:KEY=VALUE")
            }
            self = .tag(key: String(pair[0]), value: String(pair[1]))
            return
        }
        throw BudgetInputError(
            "unknown scope '\(text)': write global, workflow:NAME, tag:KEY=VALUE or run")
    }

    public var description: String {
        switch self {
        case .global: "global"
        case .workflow(let name): "workflow:\(name)"
        case .tag(let key, let value): "tag:\(key)=\(value)"
        case .run: "run"
        }
    }

    /// Whether calls of a run of `workflow` with `tags` count against this scope.
    public func applies(workflow: String, tags: [String: String]) -> Bool {
        switch self {
        case .global, .run: true
        case .workflow(let name): name == workflow
        case .tag(let key, let value): tags[key] == value
        }
    }

    public static func < (lhs: BudgetScope, rhs: BudgetScope) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try BudgetScope(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A budget the user described wrongly: what is wrong and what would be right.
public struct BudgetInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
