import Foundation

/// One model step's call across its retries, fallbacks and escalations: what it needs, the
/// tiers it tried, and what it spent. Lives for one ``RunExecutor/callModel`` and no longer.
struct ModelCall {
    /// How one tier's turn ended.
    enum Outcome {
        /// The step's answer, and its charge: left for the caller to post with the step's
        /// journal entry (``Ledger/settle(_:usage:cost:journaling:in:)``).
        case answered(ModelResponse, Charge)
        /// The tier failed after its retries; `fallBack` says whether another tier may help.
        case failed(PurserError, fallBack: Bool)
        /// The tier answered, but the answer failed the validator (or broke the output schema
        /// on every retry): a deeper tier may do better.
        case rejected(problem: String)
        /// The tier's calls were all taken since it was chosen: route again.
        case busy
        /// A `degrade` budget no longer covers this tier (another call took what was left since
        /// routing): route again under what is left now.
        case overBudget(BudgetExceededError)
    }

    let executor: RunExecutor
    let key: String
    let step: ModelStep
    let kind: StepKind
    private(set) var request: ModelRequest
    let inputTokens: Int
    let policy: RetryPolicy
    let maxTiers: Int
    var needs: StepNeeds
    var excluded: [String: TierRejection.Facts] = [:]
    private(set) var triedTierIDs: [String] = []
    private(set) var calls: [CallAttempt] = []
    /// Set when every feasible tier was at its limit: the call then waits for the chosen
    /// tier's slot instead of routing again.
    private var waitForSlot = false
    private var busyReroutes = 0
    private var usage = TokenUsage.zero
    private var cost = Money.zero
    private var usageIsEstimated = false
    private let startedAt: Date
    private let start: Duration

    var tiersTried: Int { triedTierIDs.count }

    init(
        executor: RunExecutor, key: String, step: ModelStep, kind: StepKind, messages: [ChatMessage],
        tools: [ToolDefinition], scope: Scope
    ) throws(PurserError) {
        self.executor = executor
        self.key = key
        self.step = step
        self.kind = kind
        let environment = executor.environment
        inputTokens = environment.tokenCounter.promptTokens(messages: messages, tools: tools)
        var needs = step.needs
        needs.jurisdictions = StepNeeds.narrow(step.needs.jurisdictions, by: scope.jurisdictions)
        // A step waits as long as its latency need allows (hours for a batch step) unless it
        // sets its own timeout; a timeout shorter than the need tightens the need, so the
        // router never picks a tier that would predictably time out.
        let timeout: Duration?
        if let own = step.timeout {
            timeout = own
            if own.seconds < needs.latency.p95Seconds { needs.latency = .p95(seconds: own.seconds) }
        } else {
            timeout = executor.options.stepTimeout.map { max($0, .seconds(needs.latency.p95Seconds)) }
        }
        self.needs = needs
        policy = step.retry ?? executor.options.retry
        maxTiers = max(1, step.maxTiers ?? ModelStep.defaultMaxTiers)
        request = ModelRequest(
            messages: messages, tools: tools, maxOutputTokens: step.maxOutputTokens,
            reasoningEffort: step.needs.reasoning, outputSchema: step.outputSchema, timeout: timeout)
        let clock = environment.clock
        startedAt = clock.wallNow()
        start = clock.monotonicNow()
    }

    // MARK: Routing

    /// The budgets that apply to this call's run, as the ledger sees them now.
    func budgetStatuses() async throws(PurserError) -> [BudgetStatus] {
        do {
            return try await executor.environment.ledger.budgets(
                forRun: executor.runID, workflow: executor.workflow, tags: executor.tags)
        } catch {
            throw PurserError(.internal, "could not read the budgets: \(error)", stepKey: key)
        }
    }

    /// The tier for the next turn: the cheapest that meets the needs, is healthy, fits the
    /// budget left, and was not tried yet. When every such tier is at its concurrency limit,
    /// the cheapest of them, whose slot ``attempt(on:validator:)`` then waits for.
    mutating func route() async throws(PurserError) -> Route {
        let environment = executor.environment
        var spendingLimit: Money?
        if environment.ledger.enforcesCaps {
            // Only `degrade` budgets steer routing; the others refuse at reservation and their
            // policy decides what happens.
            let statuses: [BudgetStatus]
            if let admitted = executor.state.admissionBudgets?.take() { statuses = admitted } else { statuses = try await budgetStatuses() }
            spendingLimit = statuses.filter { $0.budget.policy == .degrade }.compactMap(\.left).min()
        }
        let estimated = executor.expectedOutput.isEmpty ? nil : executor.expectedOutput[StepPath.of(key: key)]
        let routeRequest = RouteRequest(
            needs: needs, inputTokens: inputTokens, maxOutputTokens: step.maxOutputTokens,
            expectedOutputTokens: estimated.map { min($0.expected, step.maxOutputTokens) }
                ?? RouteRequest(needs: needs, inputTokens: inputTokens, maxOutputTokens: step.maxOutputTokens)
                .expectedOutputTokens,
            p95OutputTokens: estimated?.p95.map { min($0, step.maxOutputTokens) },
            spendingLimit: spendingLimit, excluded: excluded)
        let conditions = environment.monitor.conditions()
        do {
            let route = try environment.router.route(routeRequest, conditions: conditions)
            waitForSlot = busyReroutes >= 3
            return route
        } catch {
            if error.rejections.contains(where: { $0.reason == .busy }) {
                var idle = conditions
                for index in idle.entries.indices { idle.entries[index].saturated = false }
                if let route = try? environment.router.route(routeRequest, conditions: idle) {
                    waitForSlot = true
                    return route
                }
            }
            throw PurserError.wrapping(error, stepKey: key)
        }
    }

    /// Raises the needed depth past `tier`'s, for the next turn. False when nothing is deeper.
    mutating func escalate(beyond tier: Tier) -> Bool {
        guard let deeper = ReasoningDepth.allCases.first(where: { $0 > tier.reasoningDepth }) else { return false }
        needs.reasoning = max(needs.reasoning, deeper)
        // The deeper tier is asked to think as hard as the escalation needs.
        request.reasoningEffort = needs.reasoning
        return true
    }

    // MARK: Calling

    /// One tier's turn: calls it, retrying what a retry may fix, until it answers or gives up.
    mutating func attempt(on route: Route, validator: OutputValidator?) async -> Outcome {
        let environment = executor.environment
        let clock = environment.clock
        let tier = route.tier
        triedTierIDs.append(tier.id)
        guard let provider = environment.providers[tier.provider] else {
            return .failed(
                PurserError(.internal, "no provider named '\(tier.provider)' serves tier '\(tier.id)'", stepKey: key),
                fallBack: true)
        }
        // Providers that honour the request's timeout are called directly; a child task
        // racing a timer costs more than the rest of the engine's work on a call.
        let raceTimeout = provider.enforcesTimeout ? nil : request.timeout
        let request = request
        var attemptOnTier = 0
        while true {
            attemptOnTier += 1
            let acquired: Bool
            if attemptOnTier == 1, !waitForSlot {
                acquired = environment.monitor.tryAcquire(route.index)
                if !acquired, environment.monitor.conditions()[route.index]?.saturated == true {
                    triedTierIDs.removeLast()
                    busyReroutes += 1
                    return .busy
                }
            } else {
                do {
                    acquired = try await environment.monitor.acquire(route.index)
                } catch {
                    return .failed(PurserError(.cancelled, "the run was cancelled", stepKey: key), fallBack: false)
                }
            }
            guard acquired else {
                let circuit = environment.monitor.conditions()[route.index]?.circuit ?? .closed
                return .failed(
                    PurserError(.providerFailure, "tier '\(tier.id)' is unhealthy: \(circuit)", stepKey: key),
                    fallBack: true)
            }
            let callStart = clock.monotonicNow()
            var settled: (usage: TokenUsage, cost: Money)?
            var reportedToMonitor = false
            do {
                let hold = try await environment.ledger.reserve(
                    reservation(tierID: tier.id, amount: route.decision.worstCaseCost))
                let response: ModelResponse
                do {
                    response = try await withTimeout(raceTimeout, clock: clock) {
                        try await provider.complete(request, on: tier)
                    }
                } catch {
                    // A failed call is free unless the provider says it charged for it.
                    if let billed = (error as? ProviderError)?.billedUsage {
                        let charge = tier.pricing.cost(of: billed)
                        if (try? await environment.ledger.settle(hold, usage: billed, cost: charge)) != nil {
                            usage += billed
                            cost += charge
                            settled = (billed, charge)
                        } else {
                            try? await environment.ledger.release(hold)
                        }
                    } else {
                        try? await environment.ledger.release(hold)
                    }
                    throw error
                }
                let charge = Charge(reservation: hold, usage: response.usage, cost: tier.pricing.cost(of: response.usage))
                let seconds = (clock.monotonicNow() - callStart).seconds
                environment.monitor.release(
                    route.index,
                    outcome: .succeeded(
                        timeToFirstToken: response.timeToFirstToken, outputTokens: response.usage.outputTokens,
                        seconds: seconds))
                reportedToMonitor = true
                usage += response.usage
                cost += charge.cost
                usageIsEstimated = usageIsEstimated || response.usageIsEstimated
                // An answer the step does not take is charged here, on its own; the one it
                // takes is charged by the caller together with the step's journal entry.
                var problem: String?
                if response.toolCalls.isEmpty {
                    do {
                        let output = try RunExecutor.output(of: response, step: step, key: key)
                        if let validator, let found = validator.problem(with: output) {
                            problem = "\(validator.name): \(found)"
                        }
                    } catch {
                        try await post(charge)
                        settled = (charge.usage, charge.cost)
                        throw error
                    }
                }
                if let problem {
                    try await post(charge)
                    calls.append(
                        CallAttempt(
                            tierID: tier.id, outcome: .outputRejected, usage: response.usage, cost: charge.cost,
                            latency: seconds))
                    return .rejected(problem: problem)
                }
                calls.append(
                    CallAttempt(
                        tierID: tier.id, outcome: .succeeded, usage: response.usage, cost: charge.cost, latency: seconds))
                return .answered(response, charge)
            } catch let refusal as BudgetExceededError where !reportedToMonitor {
                environment.monitor.release(route.index, outcome: .abandoned)
                let status = try? await budgetStatuses().first { $0.budget.name == refusal.budget }
                await executor.state.emit(
                    .budgetAlert(
                        BudgetAlert(
                            kind: .hardCap, budget: refusal.budget, periodKey: status?.periodKey ?? "",
                            spent: status?.spent ?? .zero, limit: status?.budget.limit,
                            message: "step '\(key)': \(refusal)")))
                switch refusal.policy {
                case .pause:
                    // Not an attempt: nothing was called. Wait for the cap to rise, then try again.
                    attemptOnTier -= 1
                    do { try await waitForBudget(refusal, amount: route.decision.worstCaseCost) } catch {
                        return .failed(PurserError(.cancelled, "the run was cancelled", stepKey: key), fallBack: false)
                    }
                    continue
                case .degrade:
                    return .overBudget(refusal)
                case .stop, .reject:
                    return .failed(PurserError(.budgetExceeded, refusal.description, stepKey: key), fallBack: false)
                }
            } catch {
                if !reportedToMonitor {
                    environment.monitor.release(route.index, outcome: Self.isTierFault(error) ? .failed : .abandoned)
                }
                let failure = executor.failure(from: error, key: key)
                calls.append(
                    CallAttempt(
                        tierID: tier.id, outcome: .failed, usage: settled?.usage ?? .zero, cost: settled?.cost ?? .zero,
                        latency: (clock.monotonicNow() - callStart).seconds, error: failure))
                guard let final = await executor.afterFailedAttempt(
                    error, key: key, attempt: attemptOnTier, policy: policy)
                else { continue }
                if final.code == .invalidModelOutput { return .rejected(problem: final.message) }
                return .failed(final, fallBack: final.code == .providerFailure || final.code == .timedOut)
            }
        }
    }

    /// Settles a charge on its own and tells the run of the alerts it raised.
    func post(_ charge: Charge) async throws {
        let alerts = try await executor.environment.ledger.settle(charge.reservation, usage: charge.usage, cost: charge.cost)
        for alert in alerts { await executor.state.emit(.budgetAlert(alert)) }
    }

    /// Parks the call until `refusal`'s budget can cover it again (finance raised the cap, or
    /// other calls released what they held), looking every ``RunOptions/budgetPollInterval``.
    /// Throws when the run is cancelled meanwhile.
    private func waitForBudget(_ refusal: BudgetExceededError, amount: Money) async throws {
        let state = executor.state
        await state.emit(.runPaused(key: key, budget: refusal.budget, reason: refusal.description))
        while true {
            try await executor.environment.clock.sleep(for: executor.options.budgetPollInterval)
            let status = try await budgetStatuses().first { $0.budget.name == refusal.budget }
            if status?.fits(amount: amount, tokens: inputTokens + step.maxOutputTokens) ?? true { break }
        }
        await state.emit(.runResumed(key: key))
    }

    /// Failures that say the tier is unwell, as opposed to the request, the budget or the run.
    static func isTierFault(_ error: any Error) -> Bool {
        if error is CallTimedOut { return true }
        guard let providerError = error as? ProviderError else { return false }
        switch providerError.kind {
        case .timeout, .rateLimited, .overloaded, .serverError, .connection, .malformedResponse, .authentication:
            return true
        case .contextLengthExceeded, .invalidRequest:
            return false
        }
    }

    // MARK: Records

    /// What an answered call owes: its reservation, and what to settle it at.
    struct Charge {
        var reservation: Reservation
        var usage: TokenUsage
        var cost: Money
    }

    func reservation(tierID: String, amount: Money) -> ReservationRequest {
        ReservationRequest(
            runID: executor.runID, workflow: executor.workflow, stepKey: key, tierID: tierID, tags: executor.tags,
            amount: amount, tokens: inputTokens + step.maxOutputTokens)
    }

    func record(_ status: StepRecord.Status, _ error: PurserError?, decision: RoutingDecision) -> StepRecord {
        let clock = executor.environment.clock
        return StepRecord(
            key: key, stepID: step.id, kind: kind, status: status, tierID: decision.tierID, usage: usage,
            usageIsEstimated: usageIsEstimated, cost: cost, latency: (clock.monotonicNow() - start).seconds,
            attempts: calls.count, error: error, startedAt: startedAt, decision: decision, calls: calls)
    }
}
