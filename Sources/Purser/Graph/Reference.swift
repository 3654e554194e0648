/// A place a template or condition reads from: the input, an earlier step's output,
/// or the current for-each item.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
    public enum Root: Sendable, Hashable {
        case input
        case step(String)
        case item
        case index
    }

    public let root: Root
    /// Member names and array indexes below the root.
    public let path: [Substring]

    public var description: String {
        let head: String
        switch root {
        case .input: head = "input"
        case .step(let id): head = "steps.\(id)"
        case .item: head = "item"
        case .index: head = "index"
        }
        return ([head] + path.map(String.init)).joined(separator: ".")
    }

    struct ParseFailure: Error { let reason: String }

    /// Parses `input.a.b`, `steps.ID.a`, `item.a` or `index`.
    public init(parsing text: String) throws(ReferenceError) {
        switch Reference.parse(Substring(text)) {
        case .success(let reference): self = reference
        case .failure(let failure): throw ReferenceError(text: text, reason: failure.reason)
        }
    }

    init(root: Root, path: [Substring]) {
        self.root = root
        self.path = path
    }

    static func parse(_ text: Substring) -> Result<Reference, ParseFailure> {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard let head = parts.first, !text.isEmpty else {
            return .failure(ParseFailure(reason: "empty reference '{{}}'"))
        }
        if parts.contains(where: \.isEmpty) {
            return .failure(ParseFailure(reason: "reference '\(text)' has an empty path part"))
        }
        switch head {
        case "input":
            return .success(Reference(root: .input, path: Array(parts.dropFirst())))
        case "item":
            return .success(Reference(root: .item, path: Array(parts.dropFirst())))
        case "index":
            guard parts.count == 1 else { return .failure(ParseFailure(reason: "'index' has no members")) }
            return .success(Reference(root: .index, path: []))
        case "steps":
            guard parts.count >= 2 else {
                return .failure(ParseFailure(reason: "reference '\(text)' must name a step: steps.ID"))
            }
            return .success(Reference(root: .step(String(parts[1])), path: Array(parts.dropFirst(2))))
        default:
            return .failure(
                ParseFailure(reason: "reference '\(text)' must start with input, steps, item or index"))
        }
    }
}

/// A reference that could not be read.
public struct ReferenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public let text: String
    public let reason: String
    public var description: String { reason }
}
