/// How hard a step must think. A tier supports up to some depth; a step needs at least one.
public enum ReasoningDepth: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case none, low, medium, high

    private var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }

    public static func < (lhs: ReasoningDepth, rhs: ReasoningDepth) -> Bool { lhs.rank < rhs.rank }
}
