import Foundation
import Logging
import Purser
import PurserSQLite

/// The server's runs: accepts them (durably, once per idempotency key), starts them while
/// there is room and queues the rest, keeps each live run's events for its event streams, and
/// records each result. A bounded queue is the server's back-pressure: past it, requests are
/// refused (429) rather than piling up memory.
///
/// Runs interrupted by a shutdown or a crash are left unfinished in the ledger file and
/// ``resumeUnfinished()`` starts them again under the same id: the journal replays the steps
/// that finished, which are neither called nor charged again.
public actor RunManager {
    /// A run accepted and not yet recorded as ended.
    private final class LiveRun: Sendable {
        let request: RunRequest
        let submission: Submission
        let events = RunEventLog()
        let graph: WorkflowGraph
        /// Accepted by an earlier server process: its journal may hold finished steps.
        let resumed: Bool
        /// Stored as `running` when accepted, because it was to start at once: the engine
        /// need not store that again.
        let acceptedAsRunning: Bool
        init(
            request: RunRequest, submission: Submission, graph: WorkflowGraph, resumed: Bool = false,
            acceptedAsRunning: Bool = false
        ) {
            self.request = request
            self.submission = submission
            self.graph = graph
            self.resumed = resumed
            self.acceptedAsRunning = acceptedAsRunning
        }
    }

    private struct LiveState {
        var handle: RunHandle?
        var startedAt: Date?
        var waiters: [CheckedContinuation<FinishedRun, Never>] = []
    }

    public struct Limits: Sendable, Hashable {
        /// Runs executing at once.
        public var maxActive: Int
        /// Runs waiting for a slot; past this, submissions get 429.
        public var maxQueued: Int

        public init(maxActive: Int = 256, maxQueued: Int = 4096) {
            self.maxActive = maxActive
            self.maxQueued = maxQueued
        }
    }

    /// What `submit` answers: the run (new, or the one its idempotency key already started).
    public struct Accepted: Sendable {
        public var id: RunID
        public var status: RunStatus
        public var estimate: RunEstimate?
        /// False when the idempotency key named an existing run.
        public var created: Bool
    }

    let engine: Engine
    let ledger: SQLiteLedger
    let caps: RunCapLedger
    let workflows: [String: WorkflowGraph]
    let limits: Limits
    let metrics: ServerMetrics
    let logger: Logger

    private var live: [RunID: LiveRun] = [:]
    private var states: [RunID: LiveState] = [:]
    private var queue: [RunID] = []
    private var queueHead = 0
    private var running = 0
    /// Runs being stored as `running`, to start once stored: counted against the room so that
    /// submissions racing through the store do not all claim the last slot.
    private var startsPending = 0
    private var byKey: [String: RunID] = [:]
    private var userCancelled: Set<RunID> = []
    /// Runs a drain cancelled: however their cancellation surfaced (cancelled, or a call that
    /// failed as it was torn down), they did not end; they resume on the next start.
    private var drainCancelled: Set<RunID> = []
    private var draining = false
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    public init(
        engine: Engine, ledger: SQLiteLedger, caps: RunCapLedger, workflows: [Workflow], limits: Limits,
        metrics: ServerMetrics, logger: Logger
    ) throws(WorkflowValidationError) {
        self.engine = engine
        self.ledger = ledger
        self.caps = caps
        var graphs: [String: WorkflowGraph] = [:]
        for workflow in workflows { graphs[workflow.name] = try engine.compile(workflow) }
        self.workflows = graphs
        self.limits = limits
        self.metrics = metrics
        self.logger = logger
    }

    public nonisolated func graph(named name: String) throws(APIProblem) -> WorkflowGraph {
        guard let graph = workflows[name] else {
            throw APIProblem.notFound(
                "unknown_workflow", "unknown workflow '\(name)' (known: \(workflows.keys.sorted().joined(separator: ", ")))")
        }
        return graph
    }

    /// Runs executing and waiting, and whether the server is draining for shutdown.
    public var counts: (running: Int, queued: Int, draining: Bool) { (running, live.count - running, draining) }

    // MARK: Submitting

    /// Accepts a run: stores it, then starts it if there is room or queues it. Refuses (429)
    /// when the queue is full and (503) while shutting down; a run the engine refuses at once
    /// (a `reject` budget) is recorded as failed and reported as a problem naming it.
    public func submit(_ request: RunRequest) async throws(APIProblem) -> Accepted {
        guard !draining else {
            throw APIProblem(.serviceUnavailable, code: "shutting_down", "the server is shutting down", retryAfter: 1)
        }
        guard let graph = workflows[request.workflow] else {
            throw APIProblem(
                .unprocessableContent, code: "unknown_workflow",
                "unknown workflow '\(request.workflow)' (known: \(workflows.keys.sorted().joined(separator: ", ")))",
                pointer: "$.workflow")
        }
        if let schema = graph.workflow.inputSchema {
            let problems = schema.violations(of: request.input)
            guard problems.isEmpty else {
                throw APIProblem.badRequest(
                    "invalid_input", "input for workflow '\(request.workflow)' is invalid: " + problems.joined(separator: "; "),
                    pointer: "$.input")
            }
        }
        if let key = request.idempotencyKey, let id = byKey[key] {
            return try await existing(id, request: request)
        }
        guard live.count < limits.maxActive + limits.maxQueued else {
            metrics.refusedFull()
            throw APIProblem(
                .tooManyRequests, code: "queue_full",
                "\(live.count) runs are running or queued, the most this server takes; try again shortly", retryAfter: 1)
        }

        let id = RunID.random()
        let now = Date()
        let submission = Submission(
            id: id, idempotencyKey: request.idempotencyKey, workflow: request.workflow, request: request.stored,
            submittedAt: now)
        // A run there is room for starts as soon as it is stored, so it is stored as running
        // and the engine skips its own save of that (one write fewer per run). Should the
        // room fill while it is being stored, it waits in the queue showing `running`.
        let startsNow = running + startsPending < limits.maxActive
        let queued = RunSummary(
            id: id, workflow: request.workflow, status: startsNow ? .running : .queued, input: request.input,
            tags: request.tags, startedAt: now, endedAt: nil, totals: RunTotals(), output: nil, error: nil)
        let stored: (submission: Submission, created: Bool, budgets: [BudgetStatus]?)
        if startsNow { startsPending += 1 }
        do {
            defer { if startsNow { startsPending -= 1 } }
            // A run starting now is admitted on the budgets read as it is stored; one with a
            // cap of its own reads them at its start, when the cap is in place.
            stored = try await ledger.accept(submission, queued: queued, readsBudgets: startsNow && request.budget == nil)
        } catch {
            throw APIProblem(.internalServerError, code: "storage_failed", "could not store the run: \(error)")
        }
        guard stored.created else { return try await existing(stored.submission.id, request: request) }
        if let key = request.idempotencyKey { byKey[key] = id }
        metrics.accepted(workflow: request.workflow)
        return try await admit(
            LiveRun(request: request, submission: submission, graph: graph, acceptedAsRunning: startsNow),
            budgets: stored.budgets)
    }

    /// The run an idempotency key already started; a different request under the same key is
    /// a client bug, refused rather than answered with the other run.
    private func existing(_ id: RunID, request: RunRequest) async throws(APIProblem) -> Accepted {
        if let run = live[id] {
            guard run.request.workflow == request.workflow, run.request.input == request.input else {
                throw conflict(id)
            }
            return Accepted(id: id, status: states[id]?.handle == nil ? .queued : .running, estimate: states[id]?.handle?.estimate, created: false)
        }
        guard let submission = try? await ledger.submission(id) else {
            throw APIProblem(.internalServerError, code: "storage_failed", "could not read run \(id)")
        }
        guard submission.workflow == request.workflow, (try? RunRequest(submission: submission))?.input == request.input else {
            throw conflict(id)
        }
        let head = submission.document.flatMap { try? RunDocumentHead($0) }
        return Accepted(id: id, status: head?.status ?? .running, estimate: head?.estimate, created: false)
    }

    private func conflict(_ id: RunID) -> APIProblem {
        APIProblem(
            .conflict, code: "idempotency_key_reused",
            "this idempotency key already started run \(id) with a different workflow or input",
            extra: ["runID": id.rawValue])
    }

    /// Starts the run now if there is room, else queues it. `budgets` were read as it was
    /// stored; they are used only if it starts now, not when it leaves the queue later.
    private func admit(_ run: LiveRun, budgets: [BudgetStatus]? = nil) async throws(APIProblem) -> Accepted {
        let id = run.submission.id
        live[id] = run
        states[id] = LiveState()
        if running < limits.maxActive, !draining {
            return try await start(run, budgets: budgets)
        }
        queue.append(id)
        let estimate = try? await engine.estimate(run.graph, input: run.request.input)
        return Accepted(id: id, status: .queued, estimate: estimate, created: true)
    }

    /// Hands the run to the engine and follows it to its end; the engine admits it on `budgets`
    /// if given (``RunOptions/budgets``), else on what it reads.
    private func start(_ run: LiveRun, budgets: [BudgetStatus]? = nil) async throws(APIProblem) -> Accepted {
        let id = run.submission.id
        running += 1
        if let budget = run.request.budget {
            let spent = (try? await ledger.settledSpend(ofRun: id)) ?? (.zero, 0)
            caps.setCap(budget, for: id, spent: spent.cost, spentTokens: spent.tokens)
        }
        let handle: RunHandle
        do {
            let log = run.events
            handle = try await engine.start(
                run.graph, input: run.request.input,
                options: RunOptions(
                    runID: id, tags: run.request.tags, replaysJournal: run.resumed, savesFinalSummary: false,
                    savesStartSummary: !run.acceptedAsRunning, budgets: budgets),
                sink: RunEventSink { log.append($0) })
        } catch {
            // Refused before anything ran: recorded as a failed run, so it is not resumed.
            let failed = RunResult(
                id: id, workflow: run.request.workflow, status: .failed, output: nil, outputs: [:], records: [],
                totals: RunTotals(), duration: 0, error: error, estimate: nil, observations: RunObservations())
            await finished(id, result: failed)
            throw APIProblem(
                error.code == .budgetExceeded ? .unprocessableContent : .badRequest,
                code: error.code == .budgetExceeded ? "budget_exceeded" : "run_refused", error.message,
                extra: ["runID": id.rawValue])
        }
        let startedAt = Date()
        states[id]?.handle = handle
        states[id]?.startedAt = startedAt
        metrics.started(workflow: run.request.workflow)
        Task.detached {
            let result = await handle.result()
            // Encoded here, not on the actor, which every run's start and end go through.
            let document = Self.document(run: run, result: result, startedAt: startedAt)
            await self.finished(id, result: result, document: document)
        }
        return Accepted(id: id, status: .running, estimate: handle.estimate, created: true)
    }

    /// Records a run's end (unless it was interrupted by a shutdown, to be resumed), wakes its
    /// waiters, and starts the next queued run.
    ///
    /// `document` is the run's ``RunView`` as JSON, encoded once: the same bytes are recorded
    /// and sent to every waiter. The engine does not save the summary of a server's run
    /// (``RunOptions/savesFinalSummary``): it is written here with the document, in one
    /// transaction. An interrupted run keeps its `running` row until it resumes.
    private func finished(_ id: RunID, result: RunResult, document: Data? = nil) async {
        guard let run = live[id] else { return }
        let interrupted = drainCancelled.contains(id) && !userCancelled.contains(id)
        let startedAt = states[id]?.startedAt
        let document = document ?? Self.document(run: run, result: result, startedAt: startedAt)
        if !interrupted {
            do {
                let summary = result.summary(
                    input: run.request.input, tags: run.request.tags, startedAt: startedAt ?? run.submission.submittedAt)
                try await ledger.finishSubmission(id, document: document, summary: summary)
            } catch {
                logger.error("could not record the end of run \(id): \(error)")
            }
            metrics.finished(result)
        }
        caps.removeCap(for: id)
        run.events.end()
        running -= 1
        live[id] = nil
        let waiters = states.removeValue(forKey: id)?.waiters ?? []
        userCancelled.remove(id)
        if let key = run.request.idempotencyKey { byKey[key] = nil }
        let finishedRun = FinishedRun(id: id, document: document, interrupted: interrupted)
        for waiter in waiters { waiter.resume(returning: finishedRun) }
        await startQueued()
        if live.isEmpty || (draining && running == 0) {
            let idle = idleWaiters
            idleWaiters = []
            for waiter in idle { waiter.resume() }
        }
    }

    private static func document(run: LiveRun, result: RunResult, startedAt: Date?) -> Data {
        document(
            RunView(
                result: result, tags: run.request.tags, idempotencyKey: run.request.idempotencyKey,
                submittedAt: run.submission.submittedAt, startedAt: startedAt, endedAt: Date()))
    }

    /// `view` as JSON; should encoding fail (it cannot for the values a run holds), a document
    /// that still says how the run ended.
    private static func document(_ view: RunView) -> Data {
        do { return try view.encoded() } catch {
            let fallback: JSONValue = [
                "id": .string(view.id.rawValue), "workflow": .string(view.workflow), "status": .string(view.status.rawValue),
                "error": ["code": "internal", "message": .string("the run's record could not be encoded: \(error)")],
            ]
            return Data(fallback.compactJSON.utf8)
        }
    }

    private func startQueued() async {
        while running < limits.maxActive, !draining, queueHead < queue.count {
            let id = queue[queueHead]
            queueHead += 1
            if queueHead > 1024, queueHead * 2 > queue.count {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            guard let run = live[id] else { continue }
            _ = try? await start(run)
        }
    }

    // MARK: Reading

    /// The result of a run once it ends (at once if it already has). `nil` for unknown ids.
    /// Waits for a live run to end and returns how it ended; `nil` at once if it is not live.
    public func finish(of id: RunID) async -> FinishedRun? {
        guard live[id] != nil else { return nil }
        return await withCheckedContinuation { continuation in
            states[id, default: LiveState()].waiters.append(continuation)
        }
    }

    /// A live run's view: its request, what has finished so far, its estimate.
    public func liveView(of id: RunID) -> LiveRunView? {
        guard let run = live[id] else { return nil }
        let handle = states[id]?.handle
        return LiveRunView(
            id: id, request: run.request, status: handle == nil ? .queued : .running,
            submittedAt: run.submission.submittedAt, steps: run.events.finishedSteps, estimate: handle?.estimate)
    }

    /// A live run's events from the start, live until it ends; `nil` if it is not live.
    public func events(of id: RunID) -> AsyncStream<RunEvent>? {
        live[id]?.events.subscribe()
    }

    /// Cancels a queued or running run. False if it is not live (unknown, or already ended).
    public func cancel(_ id: RunID) async -> Bool {
        guard let run = live[id] else { return false }
        userCancelled.insert(id)
        if let handle = states[id]?.handle {
            handle.cancel()
        } else {
            // Queued: it never started, so it ends here.
            queue.removeAll { $0 == id }
            queueHead = min(queueHead, queue.count)
            running += 1  // balanced by finished()
            let result = RunResult(
                id: id, workflow: run.request.workflow, status: .cancelled, output: nil, outputs: [:], records: [],
                totals: RunTotals(), duration: 0, error: PurserError(.cancelled, "cancelled before it started"),
                estimate: nil, observations: RunObservations())
            await finished(id, result: result)
        }
        return true
    }

    // MARK: Restart and shutdown

    /// Starts again every run the ledger file says was accepted and never ended (after a
    /// graceful stop or a crash), oldest first, under their own ids. Returns how many.
    @discardableResult
    public func resumeUnfinished() async throws -> Int {
        let unfinished = try ledger.unfinishedSubmissions()
        for submission in unfinished {
            do {
                let request = try RunRequest(submission: submission)
                let graph = try graph(named: request.workflow)
                if let key = request.idempotencyKey { byKey[key] = submission.id }
                logger.info("resuming run \(submission.id) of \(request.workflow)")
                metrics.resumed()
                _ = try? await admit(LiveRun(request: request, submission: submission, graph: graph, resumed: true))
            } catch {
                logger.error("cannot resume run \(submission.id): \(error)")
                let failed = RunResult(
                    id: submission.id, workflow: submission.workflow, status: .failed, output: nil, outputs: [:],
                    records: [], totals: RunTotals(), duration: 0,
                    error: PurserError(.internal, "could not be resumed: \(error.description)"), estimate: nil,
                    observations: RunObservations())
                let view = RunView(
                    result: failed, tags: [:], idempotencyKey: submission.idempotencyKey,
                    submittedAt: submission.submittedAt, startedAt: nil, endedAt: Date())
                try? await ledger.finishSubmission(submission.id, document: Self.document(view))
            }
        }
        return unfinished.count
    }

    /// Stops taking runs, gives running ones `grace` to finish, then cancels the rest; those
    /// (and queued ones) stay unfinished in the ledger file and resume on the next start.
    public func drain(grace: Duration) async {
        draining = true
        logger.info("draining: \(running) running, \(live.count - running) queued; grace \(grace)")
        let deadline = Task {
            try? await Task.sleep(for: grace)
            guard !Task.isCancelled else { return }
            self.cancelAll()
        }
        await waitUntilIdle()
        deadline.cancel()
    }

    /// Cancels every running run (for the end of a drain's grace period).
    private func cancelAll() {
        let left = states.values.compactMap(\.handle)
        guard !left.isEmpty else { return }
        drainCancelled.formUnion(left.map(\.id))
        logger.info("cancelling \(left.count) runs still going after the grace period; they resume on restart")
        for handle in left { handle.cancel() }
    }

    private func waitUntilIdle() async {
        guard running > 0 else { return }
        await withCheckedContinuation { idleWaiters.append($0) }
    }
}

/// How a live run ended, straight from memory (no reading back what was just written).
public struct FinishedRun: Sendable {
    public var id: RunID
    /// The run's ``RunView`` as JSON, as recorded.
    public var document: Data
    /// Cancelled by a shutdown; it resumes on the next start.
    public var interrupted: Bool
}

/// A run accepted and not ended: what `GET /v1/runs/{id}` shows of it.
public struct LiveRunView: Sendable {
    public var id: RunID
    public var request: RunRequest
    public var status: RunStatus
    public var submittedAt: Date
    public var steps: [StepRecord]
    public var estimate: RunEstimate?
}

extension RunResult {
    /// The run store's summary of a result, as the server records it when the run ends.
    func summary(input: JSONValue, tags: [String: String], startedAt: Date) -> RunSummary {
        RunSummary(
            id: id, workflow: workflow, status: status, input: input, tags: tags, startedAt: startedAt, endedAt: Date(),
            totals: totals, output: output, error: error)
    }
}
