import Foundation
import Purser

/// One entry of the budget audit log: who changed which budget, when, from what to what, and why.
public struct BudgetChange: Sendable, Hashable, Codable {
    public enum Action: String, Sendable, Hashable, Codable {
        case set, remove
    }

    /// Increasing with every change; the log's order.
    public var id: Int64
    public var at: Date
    /// Who made the change (a user name or an API principal), as the caller stated it.
    public var actor: String
    public var action: Action
    public var scope: BudgetScope
    public var period: BudgetPeriod
    /// The budget before the change; `nil` when there was none.
    public var old: Budget?
    /// The budget after the change; `nil` when it was removed.
    public var new: Budget?
    public var reason: String?

    public init(
        id: Int64, at: Date, actor: String, action: Action, scope: BudgetScope, period: BudgetPeriod, old: Budget?,
        new: Budget?, reason: String?
    ) {
        self.id = id
        self.at = at
        self.actor = actor
        self.action = action
        self.scope = scope
        self.period = period
        self.old = old
        self.new = new
        self.reason = reason
    }

    /// The budget's name, `tag:team=support/month`.
    public var budget: String { "\(scope)/\(period.rawValue)" }
}
