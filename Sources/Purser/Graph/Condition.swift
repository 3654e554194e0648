/// A test over the input and earlier outputs that picks a ``Branch``'s arm.
///
/// Paths are written like template references without braces: `"steps.classify.priority"`.
public indirect enum Condition: Sendable, Hashable, Codable {
    case equals(String, JSONValue)
    case notEquals(String, JSONValue)
    /// A string containing a substring, or an array containing an element equal to the value.
    case contains(String, JSONValue)
    /// The path resolves to something other than `null`.
    case exists(String)
    case greaterThan(String, Double)
    case lessThan(String, Double)
    case all([Condition])
    case any([Condition])
    case not(Condition)

    /// Every path the condition reads, for validation.
    var paths: [String] {
        switch self {
        case .equals(let path, _), .notEquals(let path, _), .contains(let path, _), .exists(let path),
            .greaterThan(let path, _), .lessThan(let path, _):
            [path]
        case .all(let conditions), .any(let conditions): conditions.flatMap(\.paths)
        case .not(let condition): condition.paths
        }
    }
}
