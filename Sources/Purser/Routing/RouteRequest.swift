/// What the router is asked: the call's needs, its token shape, and the limits on it.
public struct RouteRequest: Sendable, Hashable {
    /// Needs with jurisdictions already narrowed by the workflow's.
    public var needs: StepNeeds
    public var inputTokens: Int
    public var maxOutputTokens: Int
    /// Expected output, reasoning included: from the estimator's history, else the prior.
    /// Tiers are ranked by their cost at this size.
    public var expectedOutputTokens: Int
    /// The output a tier must be fast enough for: the 95th percentile when history knows it,
    /// so the cheapest tier that just fits is not late whenever an answer runs long; `nil`
    /// checks latency at the expected output.
    public var p95OutputTokens: Int?
    /// The most this call may cost (what the budget has left); `nil` for no limit.
    public var spendingLimit: Money?
    /// Tiers this step already tried, with why they are out (failed, answer rejected).
    public var excluded: [String: TierRejection.Facts]

    public init(
        needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int, expectedOutputTokens: Int,
        p95OutputTokens: Int? = nil, spendingLimit: Money? = nil, excluded: [String: TierRejection.Facts] = [:]
    ) {
        self.needs = needs
        self.inputTokens = inputTokens
        self.maxOutputTokens = maxOutputTokens
        self.expectedOutputTokens = expectedOutputTokens
        self.p95OutputTokens = p95OutputTokens
        self.spendingLimit = spendingLimit
        self.excluded = excluded
    }

    /// A request whose expected output comes from the prior for the step's bound and depth.
    public init(
        needs: StepNeeds, inputTokens: Int, maxOutputTokens: Int, spendingLimit: Money? = nil
    ) {
        let expected =
            OutputPrior.visibleTokens(maxOutputTokens: maxOutputTokens)
            + OutputPrior.reasoningTokens(depth: needs.reasoning, maxOutputTokens: maxOutputTokens)
        self.init(
            needs: needs, inputTokens: inputTokens, maxOutputTokens: maxOutputTokens, expectedOutputTokens: expected,
            spendingLimit: spendingLimit)
    }
}
