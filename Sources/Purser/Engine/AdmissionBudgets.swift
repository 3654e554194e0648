import Synchronization

/// The budgets a run was admitted on, handed to its first routing decision if that comes
/// before any of its steps has ended: a run that starts with a model call then reads the
/// ledger's budgets once, not twice in the same moment (on a durable ledger each read is a
/// trip to a database connection). Taken at most once; once a step has ended (a tool that ran
/// for a while, say) they are stale and dropped, and every later decision, and any after a
/// refusal, reads the ledger again. Routing only steers by these figures
/// (``BudgetPolicy/degrade``); every reservation still checks the ledger itself.
final class AdmissionBudgets: Sendable {
    private let statuses: Mutex<[BudgetStatus]?>

    init(_ statuses: [BudgetStatus]) {
        self.statuses = Mutex(statuses)
    }

    /// The figures, the first time, unless dropped; `nil` otherwise.
    func take() -> [BudgetStatus]? {
        statuses.withLock { statuses in
            defer { statuses = nil }
            return statuses
        }
    }

    /// Drops the figures: something ended since they were read.
    func drop() {
        statuses.withLock { $0 = nil }
    }
}
