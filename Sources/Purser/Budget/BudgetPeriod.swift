import Foundation

/// How long a budget's limit lasts before it starts again: one run, a UTC calendar day, or
/// a UTC calendar month.
public enum BudgetPeriod: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case run, day, month

    public init(parsing text: String) throws(BudgetInputError) {
        guard let period = BudgetPeriod(rawValue: text) else {
            throw BudgetInputError("unknown period '\(text)': write run, day or month")
        }
        self = period
    }

    /// Names the period a call at `date` of run `runID` falls in: `run:ID`, `2026-11-29`,
    /// `2026-11`. Spend and reservations are summed per key, so a new day starts from zero.
    public func key(at date: Date, runID: RunID) -> String {
        switch self {
        case .run:
            return "run:\(runID.rawValue)"
        case .day, .month:
            let parts = Self.calendar.dateComponents([.year, .month, .day], from: date)
            let year = Self.pad(parts.year ?? 0, 4)
            let month = Self.pad(parts.month ?? 0, 2)
            return self == .month ? "\(year)-\(month)" : "\(year)-\(month)-\(Self.pad(parts.day ?? 0, 2))"
        }
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private var rank: Int {
        switch self {
        case .run: 0
        case .day: 1
        case .month: 2
        }
    }

    public static func < (lhs: BudgetPeriod, rhs: BudgetPeriod) -> Bool { lhs.rank < rhs.rank }
}
