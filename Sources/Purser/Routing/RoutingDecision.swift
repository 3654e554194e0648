/// A routing decision as kept in a step record and shown by `purser run` and the API:
/// the tier, what it should cost, and why every other tier lost.
public struct RoutingDecision: Sendable, Hashable, Codable {
    public var tierID: String
    public var expectedCost: Money
    public var worstCaseCost: Money
    public var predictedP95Seconds: Double
    public var inputTokens: Int
    public var expectedOutputTokens: Int
    public var spendingLimit: Money?
    private var explanation: RoutingExplanation

    /// Why every other tier lost, in catalog order (the losers on price last). Rendered when
    /// read: routing keeps only the facts, so a decision costs no text unless someone looks.
    public var rejected: [TierRejection] {
        get { explanation.rejections }
        set { explanation = RoutingExplanation(newValue) }
    }

    /// How many tiers lost, without rendering why.
    public var rejectedCount: Int { explanation.count }

    /// Writes ``rejected`` as JSON, rendered once however often the decision is written.
    func writeRejectedJSON(to sink: JSONByteSink) throws {
        try explanation.writeRejectionsJSON(to: sink)
    }

    init(
        tierID: String, expectedCost: Money, worstCaseCost: Money, predictedP95Seconds: Double, inputTokens: Int,
        expectedOutputTokens: Int, spendingLimit: Money?, explanation: RoutingExplanation
    ) {
        self.tierID = tierID
        self.expectedCost = expectedCost
        self.worstCaseCost = worstCaseCost
        self.predictedP95Seconds = predictedP95Seconds
        self.inputTokens = inputTokens
        self.expectedOutputTokens = expectedOutputTokens
        self.spendingLimit = spendingLimit
        self.explanation = explanation
    }

    private enum CodingKeys: String, CodingKey {
        case tierID, expectedCost, worstCaseCost, predictedP95Seconds, inputTokens, expectedOutputTokens
        case spendingLimit, rejected
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tierID = try container.decode(String.self, forKey: .tierID)
        expectedCost = try container.decode(Money.self, forKey: .expectedCost)
        worstCaseCost = try container.decode(Money.self, forKey: .worstCaseCost)
        predictedP95Seconds = try container.decode(Double.self, forKey: .predictedP95Seconds)
        inputTokens = try container.decode(Int.self, forKey: .inputTokens)
        expectedOutputTokens = try container.decode(Int.self, forKey: .expectedOutputTokens)
        spendingLimit = try container.decodeIfPresent(Money.self, forKey: .spendingLimit)
        explanation = RoutingExplanation(try container.decode([TierRejection].self, forKey: .rejected))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tierID, forKey: .tierID)
        try container.encode(expectedCost, forKey: .expectedCost)
        try container.encode(worstCaseCost, forKey: .worstCaseCost)
        try container.encode(predictedP95Seconds, forKey: .predictedP95Seconds)
        try container.encode(inputTokens, forKey: .inputTokens)
        try container.encode(expectedOutputTokens, forKey: .expectedOutputTokens)
        try container.encodeIfPresent(spendingLimit, forKey: .spendingLimit)
        try container.encode(rejected, forKey: .rejected)
    }
}

/// The chosen tier, where it is in the catalog, and the explained decision.
public struct Route: Sendable {
    public var tier: Tier
    /// Position in ``Router/tiers`` (and in ``TierConditions``).
    public var index: Int
    public var decision: RoutingDecision
}
