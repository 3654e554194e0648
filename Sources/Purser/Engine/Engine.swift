import Foundation
import Synchronization

/// Runs workflows. One engine serves many concurrent runs; each run gets its own actor.
///
/// ```swift
/// let engine = Engine(tools: BuiltinTools.all())           // simulator tiers by default
/// let graph = try engine.compile(myWorkflow)
/// let result = try await engine.run(graph, input: ["ticket": "My invoice is wrong"])
/// print(result.totals.cost)
/// ```
public actor Engine {
    nonisolated let environment: EngineEnvironment
    /// Runs in progress. Behind a lock rather than the actor's isolation, so starting a run
    /// (its estimate above all, a few hundred microseconds) never waits for other runs'
    /// starts: with isolation every run's admission queued on this one actor.
    private nonisolated let active = Mutex<[RunID: ActiveRun]>([:])

    /// A run id in use: claimed by a start still admitting it, running, or (rarely) already
    /// ended before its start had registered its handle.
    private enum ActiveRun {
        case starting
        case running(RunHandle)
        case endedWhileStarting
    }

    public init(
        tiers: [Tier] = SimulatorCatalog.tiers,
        providers: [any ModelProvider] = [SimulatedProvider()],
        tools: [any Tool] = [],
        ledger: any Ledger = InMemoryLedger(),
        journal: any Journal = InMemoryJournal(),
        runStore: any RunStore = InMemoryRunStore(),
        clock: any PurserClock = SystemClock(),
        tokenCounter: any TokenCounter = ApproximateTokenCounter(),
        history: EstimateHistory = EstimateHistory(),
        circuitBreaker: CircuitBreaker.Policy = CircuitBreaker.Policy()
    ) {
        var byName: [String: any ModelProvider] = [:]
        for provider in providers { byName[provider.name] = provider }
        environment = EngineEnvironment(
            router: Router(tiers: tiers), monitor: TierMonitor(tiers: tiers, clock: clock, breaker: circuitBreaker),
            providers: byName, tools: ToolRegistry(tools), ledger: ledger,
            journal: journal, runStore: runStore, clock: clock, tokenCounter: tokenCounter, history: history)
    }

    /// What the engine has learned from finished runs; estimates read it, every run adds to it.
    public nonisolated var history: EstimateHistory { environment.history }

    /// The estimator this engine's runs are estimated with.
    public nonisolated func estimator(samples: Int? = nil, seed: UInt64 = Estimator.defaultSeed) -> Estimator {
        Estimator(
            router: environment.router, tokenCounter: environment.tokenCounter, tools: environment.tools,
            samples: samples ?? 500, seed: seed)
    }

    /// Estimates a run of `graph` on `input` from what the engine has learned so far.
    public nonisolated func estimate(_ graph: WorkflowGraph, input: JSONValue, samples: Int? = nil, seed: UInt64 = Estimator.defaultSeed)
        async throws(PurserError) -> RunEstimate
    {
        let history = await environment.history.estimationSnapshot
        return try estimator(samples: samples ?? Self.admissionSamples(graph), seed: seed)
            .estimate(graph, input: input, history: history)
    }

    /// Each model step's expected (and, with enough history, 95th-percentile) output per call,
    /// by step path, for routing on the estimate.
    static func expectedOutputPerCall(_ estimate: RunEstimate?) -> [String: RunExecutor.OutputExpectation] {
        guard let estimate else { return [:] }
        var byPath: [String: RunExecutor.OutputExpectation] = [:]
        for step in estimate.steps where step.kind != .tool && step.calls.expected > 0 {
            byPath[step.path] = RunExecutor.OutputExpectation(
                expected: max(1, step.outputTokens.expected / step.calls.expected), p95: step.outputTokensPerCallP95)
        }
        return byPath
    }

    /// Fewer samples for very large graphs, so estimating at admission stays in milliseconds.
    static func admissionSamples(_ graph: WorkflowGraph) -> Int {
        min(500, max(100, 100_000 / max(graph.maxCallCount, 1)))
    }

    /// The tier catalog the engine routes over.
    public nonisolated var tiers: [Tier] { environment.router.tiers }

    /// What the engine has learned about each tier: latency, circuit state, calls in flight.
    public nonisolated var tierHealth: [TierHealth] { environment.monitor.health() }

    /// What routing reads of that health now, for routing with ``Router`` directly.
    public nonisolated var tierConditions: TierConditions { environment.monitor.conditions() }

    /// The tools the engine offers.
    public nonisolated var tools: ToolRegistry { environment.tools }

    /// Validates a workflow against this engine's tools and tiers.
    public nonisolated func compile(_ workflow: Workflow) throws(WorkflowValidationError) -> WorkflowGraph {
        try WorkflowGraph(compiling: workflow, tools: environment.tools, tiers: environment.router.tiers)
    }

    /// Starts a run and returns at once with its handle: its id, its live events and its result.
    /// With `sink`, the events go to it as they happen and the handle's stream is empty.
    ///
    /// Throws before anything runs when the input breaks the workflow's input schema.
    public nonisolated func start(
        _ graph: WorkflowGraph, input: JSONValue, options: RunOptions = RunOptions(), sink: RunEventSink? = nil
    ) async throws(PurserError) -> RunHandle {
        let workflow = graph.workflow
        if let schema = workflow.inputSchema {
            let problems = schema.violations(of: input)
            guard problems.isEmpty else {
                throw PurserError(
                    .invalidInput,
                    "input for workflow '\(workflow.name)' is invalid: " + problems.joined(separator: "; "))
            }
        }
        let runID = options.runID ?? RunID.random()
        // The id is claimed now, so that two starts of one id cannot both get past this point;
        // it is given back if the start fails.
        let claimed = active.withLock { active in
            guard active[runID] == nil else { return false }
            active[runID] = .starting
            return true
        }
        guard claimed else {
            throw PurserError(.invalidInput, "run \(runID) is already running")
        }
        do {
            let handle = try await begin(graph, input: input, runID: runID, options: options, sink: sink)
            active.withLock { active in
                if case .endedWhileStarting = active[runID] {
                    active[runID] = nil
                } else {
                    active[runID] = .running(handle)
                }
            }
            return handle
        } catch {
            active.withLock { _ = $0.removeValue(forKey: runID) }
            throw error
        }
    }

    /// ``start(_:input:options:)`` once the run's id is claimed: reads its journal, estimates
    /// and admits it, and launches its task.
    private nonisolated func begin(
        _ graph: WorkflowGraph, input: JSONValue, runID: RunID, options: RunOptions, sink: RunEventSink?
    ) async throws(PurserError) -> RunHandle {
        let workflow = graph.workflow
        var journaled: [String: JournalEntry] = [:]
        do {
            if options.replaysJournal { journaled = try await environment.journal.entries(for: runID) }
        } catch {
            throw PurserError(.internal, "could not read the journal of run \(runID): \(error)")
        }

        var estimate: RunEstimate?
        if options.estimate {
            // A run that cannot be estimated (say no tier fits a step) still starts; it will
            // fail at that step with the same error, which is where the user expects it.
            estimate = try? await self.estimate(graph, input: input)
        }

        var admissionBudgets: AdmissionBudgets?
        if environment.ledger.enforcesCaps {
            let admitted = try await admit(graph, input: input, runID: runID, options: options, estimate: estimate)
            estimate = admitted.estimate
            admissionBudgets = admitted.budgets
        }

        let (events, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .unbounded)
        // A caller's sink takes the events; the handle's stream then ends at once, empty.
        if sink != nil { continuation.finish() }
        let state = RunState(
            runID: runID, workflow: workflow.name, limit: options.maxConcurrency,
            events: sink ?? RunEventSink(continuation), admissionBudgets: admissionBudgets)
        let executor = RunExecutor(
            environment: environment, state: state, runID: runID, workflow: workflow.name, tags: options.tags,
            options: options, journaled: journaled, expectedOutput: Self.expectedOutputPerCall(estimate))
        let environment = environment
        let task = Task<RunResult, Never> {
            var result = await Self.perform(graph, input: input, executor: executor, environment: environment)
            result.estimate = estimate
            await environment.history.learn(from: result)
            self.finished(runID)
            return result
        }
        return RunHandle(id: runID, events: events, estimate: estimate, task: task)
    }

    /// Checks a run against every `reject` budget that applies before it starts: its
    /// estimated cost and tokens (the p95, or the worst case where the budget says so) must fit
    /// what the budget's period has left. Returns the estimate it used, and the budgets it read
    /// (or was given, ``RunOptions/budgets``).
    private nonisolated func admit(
        _ graph: WorkflowGraph, input: JSONValue, runID: RunID, options: RunOptions, estimate: RunEstimate?
    ) async throws(PurserError) -> (estimate: RunEstimate?, budgets: AdmissionBudgets) {
        let statuses: [BudgetStatus]
        do {
            if let given = options.budgets {
                statuses = given
            } else {
                statuses = try await environment.ledger.budgets(forRun: runID, workflow: graph.name, tags: options.tags)
            }
        } catch {
            throw PurserError(.internal, "could not read the budgets: \(error)")
        }
        let budgets = AdmissionBudgets(statuses)
        let rejecting = statuses.filter { $0.budget.policy == .reject }
        guard !rejecting.isEmpty else { return (estimate, budgets) }
        let runEstimate: RunEstimate
        if let estimate { runEstimate = estimate } else { runEstimate = try await self.estimate(graph, input: input) }
        for status in rejecting {
            let worst = status.budget.admission == .worst
            let cost = worst ? runEstimate.cost.worst : runEstimate.cost.p95
            let tokens = worst ? runEstimate.totalTokens.worst : runEstimate.totalTokens.p95
            let basis = worst ? "worst case" : "p95"
            if let left = status.left, cost > left {
                throw PurserError(
                    .budgetExceeded,
                    "run refused: its estimated cost (\(basis) \(cost)) does not fit the \(left) that "
                        + "\(status.budget.name) has left for \(status.periodKey)")
            }
            if let left = status.tokensLeft, tokens > left {
                throw PurserError(
                    .budgetExceeded,
                    "run refused: its estimated tokens (\(basis) \(tokens)) do not fit the \(left) that "
                        + "\(status.budget.name) has left for \(status.periodKey)")
            }
        }
        return (runEstimate, budgets)
    }

    /// Runs a workflow to its end. Failures inside the run are in the result's status and
    /// error; only refusals before the run starts are thrown.
    public func run(_ graph: WorkflowGraph, input: JSONValue, options: RunOptions = RunOptions())
        async throws(PurserError) -> RunResult
    {
        let handle = try await start(graph, input: input, options: options)
        return await withTaskCancellationHandler {
            await handle.result()
        } onCancel: {
            handle.cancel()
        }
    }

    /// Cancels a running run; its in-flight calls are cancelled. False if no such run is active.
    @discardableResult
    public func cancel(_ runID: RunID) -> Bool {
        guard case .running(let handle) = active.withLock({ $0[runID] }) else { return false }
        handle.cancel()
        return true
    }

    /// Ids of the runs in progress.
    public var activeRuns: [RunID] { active.withLock { Array($0.keys) }.sorted() }

    private nonisolated func finished(_ runID: RunID) {
        active.withLock { active in
            if case .starting = active[runID] {
                active[runID] = .endedWhileStarting
            } else {
                active[runID] = nil
            }
        }
    }

    private static func perform(
        _ graph: WorkflowGraph, input: JSONValue, executor: RunExecutor, environment: EngineEnvironment
    ) async -> RunResult {
        let clock = environment.clock
        let state = executor.state
        let startedAt = clock.wallNow()
        let start = clock.monotonicNow()
        var summary = RunSummary(
            id: executor.runID, workflow: graph.name, status: .running, input: input, tags: executor.options.tags,
            startedAt: startedAt, endedAt: nil, totals: RunTotals(), output: nil, error: nil)
        if executor.options.savesStartSummary { try? await environment.runStore.save(summary) }
        await state.emit(.runStarted(runID: executor.runID, workflow: graph.name))
        await state.plan(additionalCalls: RunExecutor.staticCallCount(graph.workflow.steps))

        var scope = Scope(input: input, jurisdictions: graph.workflow.jurisdictions)
        var status = RunStatus.succeeded
        var output: JSONValue?
        var outputs: [String: JSONValue] = [:]
        var failure: PurserError?
        do {
            // The top-level sequence is walked here, not by the executor, so the outputs of
            // the steps that finished survive a failure later in the run.
            var last = JSONValue.null
            for node in graph.workflow.steps {
                try Task.checkCancellation()
                let result = try await executor.execute(node, scope: scope)
                for (id, value) in result.exports {
                    scope.outputs[id] = value
                    outputs[id] = value
                }
                last = result.output
            }
            output = last
        } catch {
            let wrapped = executor.failure(from: error, key: "")
            failure = PurserError(
                wrapped.code, wrapped.message, stepKey: wrapped.stepKey?.isEmpty == true ? nil : wrapped.stepKey,
                isRetryable: wrapped.isRetryable)
            status = wrapped.code == .cancelled ? .cancelled : .failed
        }
        let (records, totals, observations) = await state.snapshot
        summary.status = status
        summary.endedAt = clock.wallNow()
        summary.totals = totals
        summary.output = output
        summary.error = failure
        if executor.options.savesFinalSummary { try? await environment.runStore.save(summary) }
        await state.finish(summary)
        return RunResult(
            id: executor.runID, workflow: graph.name, status: status, output: output, outputs: outputs,
            records: records, totals: totals, duration: (clock.monotonicNow() - start).seconds, error: failure,
            estimate: nil, observations: observations)
    }
}

/// A run in progress: its id, its live events, and its result once it ends.
public struct RunHandle: Sendable {
    public let id: RunID
    /// Run and step events as they happen; the stream ends when the run does. Empty for a run
    /// started with a ``RunEventSink``.
    public let events: AsyncStream<RunEvent>
    /// The estimate the run was admitted on (also in its result), for callers that answer
    /// before the run ends; `nil` when the run was started without one.
    public let estimate: RunEstimate?
    let task: Task<RunResult, Never>

    /// Waits for the run to end.
    public func result() async -> RunResult { await task.value }

    /// Cancels the run and its in-flight calls.
    public func cancel() { task.cancel() }
}
