/// What a run reports as it goes, for live progress and the API's event stream.
///
/// Large payloads are `indirect`, so events stay a pointer wide in the stream's buffer.
public enum RunEvent: Sendable, Hashable, Codable {
    case runStarted(runID: RunID, workflow: String)
    /// The number of calls known so far grew (a for-each learned its item count).
    case callsPlanned(total: Int)
    case stepStarted(key: String, kind: StepKind, tierID: String?)
    indirect case stepRetrying(key: String, attempt: Int, error: PurserError, delaySeconds: Double)
    /// A model step moved to another tier: the last one failed after its retries (fallback),
    /// or its answer failed the step's validator (escalation).
    indirect case stepRerouted(key: String, from: TierRejection, toTierID: String)
    /// A budget crossed its soft threshold, or refused a call.
    indirect case budgetAlert(BudgetAlert)
    /// A `pause` budget could not cover a call: the run waits, state intact, for the cap to rise.
    indirect case runPaused(key: String, budget: String, reason: String)
    /// The cap rose; the paused call goes on.
    case runResumed(key: String)
    indirect case stepFinished(StepRecord)
    indirect case runFinished(RunSummary)
}
