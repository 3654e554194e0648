/// How one run is carried out.
public struct RunOptions: Sendable, Hashable {
    /// Use a given id (to resume a journaled run, or to choose ids); a new one by default.
    public var runID: RunID?
    /// Tags the run carries, such as `team=support`; budgets and reports group by them.
    public var tags: [String: String]
    /// Calls (model or tool) in flight at once within this run.
    public var maxConcurrency: Int
    /// Each call's timeout unless its step sets one; `nil` for none.
    public var stepTimeout: Duration?
    /// Retries for calls whose step sets none.
    public var retry: RetryPolicy
    /// Estimate the run before it starts (kept in the result, and compared with the actual
    /// cost afterwards for calibration).
    public var estimate: Bool
    /// How often a run parked by a `pause` budget looks again whether the cap was raised.
    public var budgetPollInterval: Duration
    /// Read the journal for steps this run id already finished. A caller that knows the id is
    /// new (a server starting a run it just accepted) turns it off and saves a read.
    public var replaysJournal: Bool
    /// Save the run's summary to the run store when it ends. A caller that records the end
    /// itself, in one write with its own record of the run (the server, with the document it
    /// answers with), turns it off and saves a write per run.
    public var savesFinalSummary: Bool
    /// Save the run's summary (as `running`) to the run store when it starts. A caller that
    /// already stored it as running (the server, when it accepts a run it starts at once)
    /// turns it off and saves a write per run.
    public var savesStartSummary: Bool
    /// The budgets that apply to the run, as the caller read them just before starting it;
    /// admission checks these instead of reading the ledger. A caller whose own write at the
    /// start reads them anyway (the server, in the transaction that stores the run, where the
    /// writer's cache makes the read nearly free) saves a read per run on a separate connection.
    /// They must be every budget ``Ledger/budgets(forRun:workflow:tags:)`` would return.
    public var budgets: [BudgetStatus]?

    public init(
        runID: RunID? = nil, tags: [String: String] = [:], maxConcurrency: Int = 16,
        stepTimeout: Duration? = .seconds(120), retry: RetryPolicy = .default, estimate: Bool = true,
        budgetPollInterval: Duration = .seconds(1), replaysJournal: Bool = true, savesFinalSummary: Bool = true,
        savesStartSummary: Bool = true, budgets: [BudgetStatus]? = nil
    ) {
        self.runID = runID
        self.tags = tags
        self.maxConcurrency = maxConcurrency
        self.stepTimeout = stepTimeout
        self.retry = retry
        self.estimate = estimate
        self.budgetPollInterval = budgetPollInterval
        self.replaysJournal = replaysJournal
        self.savesFinalSummary = savesFinalSummary
        self.savesStartSummary = savesStartSummary
        self.budgets = budgets
    }
}
