import Foundation
import Purser

/// How a spend report groups what was charged.
public enum SpendGrouping: Sendable, Hashable, Codable {
    case workflow
    /// By the value of one tag key (`team` → rows `team=support`, `team=sales`), or by every
    /// tag when `key` is `nil` (a run with two tags counts in both rows). Spend of runs
    /// without the tag is in a row `(untagged)`.
    case tag(key: String?)
    /// By the tier the calls were made on.
    case tier
    /// By UTC day of the charge (`2026-11-29`).
    case day

    /// Parses `workflow`, `tag`, `tag:KEY`, `tier` or `day`, as the CLI writes them.
    public init(parsing text: String) throws(BudgetInputError) {
        switch text {
        case "workflow": self = .workflow
        case "tag": self = .tag(key: nil)
        case "tier": self = .tier
        case "day": self = .day
        default:
            if text.hasPrefix("tag:"), text.count > 4 {
                self = .tag(key: String(text.dropFirst(4)))
            } else {
                throw BudgetInputError("unknown grouping '\(text)': write workflow, tag, tag:KEY, tier or day")
            }
        }
    }
}

/// One group's spend over a report's window.
///
/// Everything counts from the ledger's settlements in the window: cost and tokens are what
/// was charged, `runs` the runs that were charged anything, `successfulRuns` those of them
/// whose stored status is `succeeded`. Cost per successful run divides *all* the group's cost
/// (failed runs' included) by the successes: what one outcome really cost.
public struct SpendRow: Sendable, Hashable, Codable {
    /// The group: a workflow name, `key=value`, a tier id or a day.
    public var key: String
    public var cost: Money
    /// Tokens charged (input plus output, reasoning included).
    public var tokens: Int
    /// Settled calls.
    public var calls: Int
    public var runs: Int
    public var successfulRuns: Int
    /// The part of `cost` settled by reconciliation at the reserved amount, because the process
    /// making the call died and its outcome is unknown (an upper bound of what was charged).
    public var reconciledCost: Money
    public var reconciledCalls: Int

    public init(
        key: String, cost: Money, tokens: Int, calls: Int, runs: Int, successfulRuns: Int, reconciledCost: Money = .zero,
        reconciledCalls: Int = 0
    ) {
        self.key = key
        self.cost = cost
        self.tokens = tokens
        self.calls = calls
        self.runs = runs
        self.successfulRuns = successfulRuns
        self.reconciledCost = reconciledCost
        self.reconciledCalls = reconciledCalls
    }

    /// Cost per run charged, to the nearest micro-unit (halves up); `nil` without runs.
    public var costPerRun: Money? { Self.divide(cost, by: runs) }
    /// Cost per successful run (cost per outcome), to the nearest micro-unit; `nil` without successes.
    public var costPerSuccessfulRun: Money? { Self.divide(cost, by: successfulRuns) }

    static func divide(_ money: Money, by count: Int) -> Money? {
        guard count > 0 else { return nil }
        let divisor = Int64(count)
        let (quotient, remainder) = money.micros.quotientAndRemainder(dividingBy: divisor)
        return Money(micros: quotient + (remainder * 2 >= divisor ? 1 : 0))
    }

    private enum CodingKeys: String, CodingKey {
        case key, cost, tokens, calls, runs, successfulRuns, reconciledCost, reconciledCalls, costPerRun,
            costPerSuccessfulRun
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try container.decode(String.self, forKey: .key), cost: try container.decode(Money.self, forKey: .cost),
            tokens: try container.decode(Int.self, forKey: .tokens), calls: try container.decode(Int.self, forKey: .calls),
            runs: try container.decode(Int.self, forKey: .runs),
            successfulRuns: try container.decode(Int.self, forKey: .successfulRuns),
            reconciledCost: try container.decode(Money.self, forKey: .reconciledCost),
            reconciledCalls: try container.decode(Int.self, forKey: .reconciledCalls))
    }

    /// Encodes the derived per-run figures too, so `--json` consumers need not divide.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(cost, forKey: .cost)
        try container.encode(tokens, forKey: .tokens)
        try container.encode(calls, forKey: .calls)
        try container.encode(runs, forKey: .runs)
        try container.encode(successfulRuns, forKey: .successfulRuns)
        try container.encode(reconciledCost, forKey: .reconciledCost)
        try container.encode(reconciledCalls, forKey: .reconciledCalls)
        try container.encodeIfPresent(costPerRun, forKey: .costPerRun)
        try container.encodeIfPresent(costPerSuccessfulRun, forKey: .costPerSuccessfulRun)
    }
}
