/// What happens when a budget cannot cover what is asked of it.
public enum BudgetPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// Refuse a run at admission when its estimate does not fit what is left; a call that
    /// still does not fit fails as with `stop`.
    case reject
    /// Admit every run; a call whose worst case does not fit fails its step (`budgetExceeded`).
    case stop
    /// Admit every run; a call whose worst case does not fit on the tier it would use goes to a
    /// cheaper tier that meets its needs and fits, and fails only when none does.
    case degrade
    /// Admit every run; a call that does not fit parks its run, state intact, until the cap is
    /// raised (then it goes on by itself) or the run is cancelled.
    case pause

    public init(parsing text: String) throws(BudgetInputError) {
        guard let policy = BudgetPolicy(rawValue: text) else {
            throw BudgetInputError("unknown policy '\(text)': write reject, stop, degrade or pause")
        }
        self = policy
    }
}

/// Which figure of a run's estimate admission compares with what a `reject` budget has left.
public enum AdmissionBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// The 95th percentile: most runs that are admitted finish within it.
    case p95
    /// The true upper bound: an admitted run can never be stopped by this budget.
    case worst

    public init(parsing text: String) throws(BudgetInputError) {
        guard let basis = AdmissionBasis(rawValue: text) else {
            throw BudgetInputError("unknown admission basis '\(text)': write p95 or worst")
        }
        self = basis
    }
}
