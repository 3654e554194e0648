/// A cap finance sets: on a scope, per period, in money and/or tokens, with a policy for when
/// it runs out. One budget per (scope, period); setting it again replaces it.
///
/// ```swift
/// let support = try Budget(
///     scope: .tag(key: "team", value: "support"), period: .month,
///     limit: Money(parsing: "500.00"), softThresholdPercent: 80, policy: .degrade)
/// ```
public struct Budget: Sendable, Hashable, Codable {
    public var scope: BudgetScope
    public var period: BudgetPeriod
    /// The hard money limit; `nil` when only tokens are capped.
    public var limit: Money?
    /// The hard token limit (input plus output, reasoning included); `nil` when only money is.
    public var tokenLimit: Int?
    /// Raise an alert when spend first crosses this percentage of a limit.
    public var softThresholdPercent: Int?
    public var policy: BudgetPolicy
    public var admission: AdmissionBasis

    /// The largest money limit accepted: a billion in the deployment's currency, far beyond any
    /// real budget and far inside exact 64-bit micro-units.
    public static let largestLimit = Money(micros: 1_000_000_000 * 1_000_000)
    /// The largest token limit accepted.
    public static let largestTokenLimit = 1_000_000_000_000

    /// Checks everything a user can get wrong, so a bad budget is never stored.
    public init(
        scope: BudgetScope, period: BudgetPeriod, limit: Money? = nil, tokenLimit: Int? = nil,
        softThresholdPercent: Int? = nil, policy: BudgetPolicy = .stop, admission: AdmissionBasis = .p95
    ) throws(BudgetInputError) {
        guard limit != nil || tokenLimit != nil else {
            throw BudgetInputError("a budget needs a money limit, a token limit, or both")
        }
        if let limit {
            guard limit > .zero else { throw BudgetInputError("the limit must be more than zero, got \(limit)") }
            guard limit <= Self.largestLimit else {
                throw BudgetInputError("the limit \(limit) is too large (at most \(Self.largestLimit))")
            }
        }
        if let tokenLimit {
            guard tokenLimit > 0 else { throw BudgetInputError("the token limit must be more than zero, got \(tokenLimit)") }
            guard tokenLimit <= Self.largestTokenLimit else {
                throw BudgetInputError("the token limit \(tokenLimit) is too large (at most \(Self.largestTokenLimit))")
            }
        }
        if let soft = softThresholdPercent, !(1...99).contains(soft) {
            throw BudgetInputError("the soft threshold must be between 1% and 99%, got \(soft)%")
        }
        if scope == .run, period != .run {
            throw BudgetInputError("scope 'run' caps each run on its own: its period is run, not \(period.rawValue)")
        }
        self.scope = scope
        self.period = period
        self.limit = limit
        self.tokenLimit = tokenLimit
        self.softThresholdPercent = softThresholdPercent
        self.policy = policy
        self.admission = admission
    }

    /// `tag:team=support/month`: how budgets are named in errors, alerts and reports.
    public var name: String { "\(scope)/\(period.rawValue)" }
}

/// A budget with what its current period has used.
public struct BudgetStatus: Sendable, Hashable, Codable {
    public var budget: Budget
    /// The period these figures are for (`2026-11`, `2026-11-29`, `run:ID`).
    public var periodKey: String
    public var spent: Money
    public var reserved: Money
    public var spentTokens: Int
    public var reservedTokens: Int

    public init(budget: Budget, periodKey: String, spent: Money, reserved: Money, spentTokens: Int, reservedTokens: Int) {
        self.budget = budget
        self.periodKey = periodKey
        self.spent = spent
        self.reserved = reserved
        self.spentTokens = spentTokens
        self.reservedTokens = reservedTokens
    }

    /// Money left for new reservations; `nil` when the budget caps only tokens.
    public var left: Money? { budget.limit.map { max(.zero, $0 - spent - reserved) } }
    /// Tokens left for new reservations; `nil` when the budget caps only money.
    public var tokensLeft: Int? { budget.tokenLimit.map { max(0, $0 - spentTokens - reservedTokens) } }

    /// Whether a new reservation of `amount` and `tokens` fits.
    public func fits(amount: Money, tokens: Int) -> Bool {
        (left.map { amount <= $0 } ?? true) && (tokensLeft.map { tokens <= $0 } ?? true)
    }
}

/// A budget crossed its soft threshold, or a call hit its hard cap.
public struct BudgetAlert: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case softThreshold, hardCap
    }

    public var kind: Kind
    public var budget: String
    public var periodKey: String
    public var spent: Money
    public var limit: Money?
    public var message: String

    public init(kind: Kind, budget: String, periodKey: String, spent: Money, limit: Money?, message: String) {
        self.kind = kind
        self.budget = budget
        self.periodKey = periodKey
        self.spent = spent
        self.limit = limit
        self.message = message
    }
}
