import Foundation
import Purser

/// The window a spend report covers, from UTC days as people write them (`2026-11-01`):
/// both days included; by default this month so far. Shared by `purser spend` and
/// `GET /v1/spend`, so both read the same days the same way.
public struct SpendWindow: Sendable, Hashable {
    public var start: Date
    /// The end, exclusive: midnight after the last day.
    public var end: Date

    /// Without `from`, the window starts on the first of the last day's month: `to` alone
    /// asks for that month up to that day (say, last month's report), not for a window that
    /// starts this month and ends before it.
    public init(from: String?, to: String?, now: Date = Date(), fromName: String = "from", toName: String = "to")
        throws(BudgetInputError)
    {
        var lastDay = Self.calendar.startOfDay(for: now)
        if let to { lastDay = try Self.day(to, name: toName) }
        start = Self.firstOfMonth(lastDay)
        if let from { start = try Self.day(from, name: fromName) }
        end = lastDay.addingTimeInterval(86_400)
        guard start < end else { throw BudgetInputError("\(fromName) must not be after \(toName)") }
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    static func day(_ text: String, name: String) throws(BudgetInputError) -> Date {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else {
            throw BudgetInputError("\(name) must be a day as YYYY-MM-DD, got '\(text)'")
        }
        return date
    }

    static func firstOfMonth(_ date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? calendar.startOfDay(for: date)
    }
}

extension SpendRow {
    /// Rows as CSV (RFC 4180 quoting), with a header line.
    public static func csv(_ rows: [SpendRow]) -> String {
        var out =
            "group,cost,tokens,calls,runs,successful_runs,cost_per_run,cost_per_successful_run,reconciled_cost,reconciled_calls\n"
        for row in rows {
            let fields = [
                quoted(row.key), row.cost.description, String(row.tokens), String(row.calls), String(row.runs),
                String(row.successfulRuns), row.costPerRun?.description ?? "", row.costPerSuccessfulRun?.description ?? "",
                row.reconciledCost.description, String(row.reconciledCalls),
            ]
            out += fields.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
