import Foundation
import Purser

/// One model call of the simulated workload: what the router is asked (needs, input size,
/// output bound, the estimator's expected output) and what the call then really produces.
struct WorkloadStep: Sendable {
    /// What the router sees: its `expectedOutputTokens` is what the estimator would say.
    var request: RouteRequest
    /// How the call's output varies around the estimator's expectation.
    var output: OutputDistribution
    /// Visible output the call really produced.
    var actualVisibleTokens: Int
    /// Hidden reasoning the call really produced (billed as output).
    var actualReasoningTokens: Int

    var needs: StepNeeds { request.needs }
    var actualOutputTokens: Int { actualVisibleTokens + actualReasoningTokens }

    /// The tokens every strategy is charged for: the same whichever tier served the call.
    var actualUsage: TokenUsage {
        TokenUsage(
            inputTokens: request.inputTokens, outputTokens: actualOutputTokens,
            reasoningTokens: actualReasoningTokens)
    }
}

/// A step's output: log-normal around the expected amounts (the estimate is a median, not a
/// promise), within the step's bounds.
struct OutputDistribution: Sendable {
    static let visibleSigma = 0.35
    static let reasoningSigma = 0.5

    var expectedVisible: Int
    var expectedReasoning: Int
    var visibleBound: Int
    var reasoningBudget: Int

    /// What an estimator with the step's history reports as its 95th-percentile output: each
    /// part's own p95 (a log-normal's median × e^(1.645σ)), added, within the bounds, as the
    /// engine's estimator does.
    var p95Tokens: Int {
        let visible = min(visibleBound, Int((Double(expectedVisible) * exp(1.645 * Self.visibleSigma)).rounded(.up)))
        let reasoning = min(
            reasoningBudget, Int((Double(expectedReasoning) * exp(1.645 * Self.reasoningSigma)).rounded(.up)))
        return visible + reasoning
    }

    /// One call's (visible, reasoning) output.
    func draw(_ random: inout SplitMix64) -> (visible: Int, reasoning: Int) {
        let visible = min(
            visibleBound, max(1, Int(random.logNormal(median: Double(expectedVisible), sigma: Self.visibleSigma))))
        let reasoning =
            expectedReasoning == 0
            ? 0
            : min(reasoningBudget, Int(random.logNormal(median: Double(expectedReasoning), sigma: Self.reasoningSigma)))
        return (visible, reasoning)
    }
}
