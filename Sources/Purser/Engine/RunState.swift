import Foundation

/// The one piece of mutable state a run has: its records, totals, the per-run call
/// limit, and where its events go. Step code runs outside this actor and reports to it.
actor RunState {
    let runID: RunID
    let workflow: String
    private let limit: Int
    private var inFlight = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var waiterHead = 0
    private var nextWaiterID = 0
    private var records: [StepRecord] = []
    private var totals = RunTotals()
    private var plannedCalls = 0
    private var observations = RunObservations()
    private let events: RunEventSink
    /// The budgets read at admission, for the run's first routing decision; dropped when the
    /// first step ends (see ``AdmissionBudgets``).
    nonisolated let admissionBudgets: AdmissionBudgets?

    init(
        runID: RunID, workflow: String, limit: Int, events: RunEventSink, admissionBudgets: AdmissionBudgets? = nil
    ) {
        self.runID = runID
        self.workflow = workflow
        self.limit = max(1, limit)
        self.events = events
        self.admissionBudgets = admissionBudgets
    }

    // MARK: Call slots

    /// Waits for a call slot (the run's concurrency limit), then announces the step.
    func begin(key: String, kind: StepKind, tierID: String?) async throws {
        if inFlight < limit {
            inFlight += 1
        } else {
            let id = nextWaiterID
            nextWaiterID += 1
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        waiters.append((id, continuation))
                    }
                }
            } onCancel: {
                Task { await self.cancelWaiter(id) }
            }
            // The slot may have been handed over just as the task was cancelled.
            if Task.isCancelled {
                releaseSlot()
                throw CancellationError()
            }
        }
        events.send(.stepStarted(key: key, kind: kind, tierID: tierID))
    }

    /// Records a finished call and hands its slot on.
    func end(_ record: StepRecord) {
        admissionBudgets?.drop()
        releaseSlot()
        add(record)
    }

    private func releaseSlot() {
        if waiterHead < waiters.count {
            let waiter = waiters[waiterHead]
            waiterHead += 1
            compactWaiters()
            waiter.continuation.resume()
        } else {
            inFlight -= 1
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let position = waiters[waiterHead...].firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: position)
        waiter.continuation.resume(throwing: CancellationError())
    }

    private func compactWaiters() {
        if waiterHead > 64, waiterHead * 2 > waiters.count {
            waiters.removeFirst(waiterHead)
            waiterHead = 0
        }
    }

    // MARK: Records and events

    /// Adds a record that held no slot (a step replayed from the journal).
    func add(_ record: StepRecord) {
        records.append(record)
        totals.add(record)
        events.send(.stepFinished(record))
    }

    func retrying(key: String, attempt: Int, error: PurserError, delay: Duration) {
        events.send(.stepRetrying(key: key, attempt: attempt, error: error, delaySeconds: delay.seconds))
    }

    func rerouted(key: String, from: TierRejection, to tierID: String) {
        events.send(.stepRerouted(key: key, from: from, toTierID: tierID))
    }

    func plan(additionalCalls: Int) {
        guard additionalCalls > 0 else { return }
        plannedCalls += additionalCalls
        events.send(.callsPlanned(total: plannedCalls))
    }

    func emit(_ event: RunEvent) {
        events.send(event)
    }

    func finish(_ summary: RunSummary) {
        events.send(.runFinished(summary))
        events.end()
    }

    func observeForEach(_ stepID: String, count: Int) {
        observations.forEachCounts[stepID, default: []].append(count)
    }

    func observeLoop(_ stepID: String, iterations: Int) {
        observations.loopIterations[stepID, default: []].append(iterations)
    }

    func observeBranch(_ stepID: String, tookThen: Bool) {
        observations.branchesTaken[stepID, default: []].append(tookThen)
    }

    var snapshot: (records: [StepRecord], totals: RunTotals, observations: RunObservations) {
        (records, totals, observations)
    }
}
