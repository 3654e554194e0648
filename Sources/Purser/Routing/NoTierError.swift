/// No tier can serve a call; says why each one was ruled out.
public struct NoTierError: Error, Sendable, Hashable, CustomStringConvertible {
    public var needs: StepNeeds
    public var spendingLimit: Money?
    public var rejections: [TierRejection]

    /// True when some tier met every need and only the budget kept it out: the budget's
    /// policy, not the catalog, decides what happens next.
    public var isBudgetLimited: Bool {
        rejections.contains { $0.reason == .overBudget }
    }

    public var description: String {
        if rejections.isEmpty { return "no tier meets the step's needs: the tier catalog is empty" }
        let fitting = rejections.compactMap { rejection -> Money? in
            if case .overBudget(let worst, _) = rejection.facts { return worst }
            return nil
        }
        if let cheapest = fitting.min(), let limit = spendingLimit {
            return "no tier's worst case fits the \(limit) the budget has left (the cheapest tier that meets the "
                + "step's needs could cost up to \(cheapest)): "
                + rejections.map(\.description).joined(separator: "; ")
        }
        return "no tier meets the step's needs: " + rejections.map(\.description).joined(separator: "; ")
    }
}
