import Purser

/// A showcase workflow with the budget finance would give it: what `purser demo` runs, and
/// what each shows of the mission.
public struct Showcase: Sendable {
    public var workflow: Workflow
    /// One line: the part of the mission this workflow shows.
    public var shows: String
    /// The budget set before it runs, as finance would (`purser budget set` takes the same).
    public var budgetScope: BudgetScope
    public var budgetPeriod: BudgetPeriod
    public var budgetLimit: Money
    public var budgetPolicy: BudgetPolicy
    /// Whether the demo spells out every routing decision and where each call ran: the
    /// regulated workflow's audit trail.
    public var auditTrail = false

    /// The budget as the ledger takes it.
    public func budget() throws(BudgetInputError) -> Budget {
        try Budget(scope: budgetScope, period: budgetPeriod, limit: budgetLimit, policy: budgetPolicy)
    }

    /// The four showcase workflows, in the order the demo runs them.
    public static let all: [Showcase] = [
        Showcase(
            workflow: ExampleWorkflows.contactCenter,
            shows: "a live call: interactive latency, an agent loop with tools, routed to fast tiers",
            budgetScope: .workflow(ExampleWorkflows.contactCenter.name), budgetPeriod: .day,
            budgetLimit: Money(units: 5), budgetPolicy: .stop),
        Showcase(
            workflow: ExampleWorkflows.contractReview,
            shows: "batch work: a for-each over every clause at batch latency, on batch and cheap tiers, estimated before it runs",
            budgetScope: .workflow(ExampleWorkflows.contractReview.name), budgetPeriod: .month,
            budgetLimit: Money(units: 20), budgetPolicy: .reject),
        Showcase(
            workflow: ExampleWorkflows.creditDecision,
            shows: "a regulated recommendation: UK-jurisdiction tiers only, the others ruled out by jurisdiction, an audit trail",
            budgetScope: .workflow(ExampleWorkflows.creditDecision.name), budgetPeriod: .day,
            budgetLimit: Money(units: 10), budgetPolicy: .stop, auditTrail: true),
        Showcase(
            workflow: ExampleWorkflows.plannerExecutor,
            shows: "a fan-out decided by a model, estimated as a distribution and stopped by a per-run cap",
            budgetScope: .run, budgetPeriod: .run,
            budgetLimit: Money(micros: 2_500), budgetPolicy: .stop),
    ]
}
