import Foundation

extension RunExecutor {
    /// A plain model step: render the prompt, call, and turn the answer into the step's output.
    func runModelStep(_ step: ModelStep, scope: Scope) async throws -> JSONValue {
        let key = scope.key(step.id)
        var messages: [ChatMessage] = []
        if let system = step.system { messages.append(.system(try scope.render(system, stepKey: key))) }
        messages.append(.user(try scope.render(step.prompt, stepKey: key)))
        let response = try await callModel(
            key: key, step: step, kind: .model, messages: messages, tools: [], scope: scope,
            validator: step.validator)
        return try Self.output(of: response, step: step, key: key)
    }

    /// The step output for an answer: parsed JSON when a schema was asked for, else the text.
    static func output(of response: ModelResponse, step: ModelStep, key: String) throws(PurserError) -> JSONValue {
        guard let schema = step.outputSchema else { return .string(response.text) }
        let value: JSONValue
        do { value = try JSONValue(parsing: response.text) } catch {
            throw PurserError(
                .invalidModelOutput, "the model's answer is not JSON (\(error))", stepKey: key, isRetryable: true)
        }
        let problems = schema.violations(of: value)
        guard problems.isEmpty else {
            throw PurserError(
                .invalidModelOutput, "the model's answer breaks the output schema: " + problems.joined(separator: "; "),
                stepKey: key, isRetryable: true)
        }
        return value
    }

    /// One model call, from routing to the answer: route, reserve, call with a timeout and
    /// retries, settle, journal and record. When a tier fails after its retries the call falls
    /// back to the next cheapest tier that meets the needs; when an answer fails `validator`
    /// it escalates to a deeper one; both within the step's ``ModelStep/maxTiers``.
    func callModel(
        key: String, step: ModelStep, kind: StepKind, messages: [ChatMessage], tools: [ToolDefinition],
        scope: Scope, validator: OutputValidator? = nil
    ) async throws -> ModelResponse {
        if !journaled.isEmpty, let entry = journaled[key] {
            await state.add(Self.replayed(entry.record))
            return try Self.decodeResponse(entry.output, key: key)
        }
        var call = try ModelCall(
            executor: self, key: key, step: step, kind: kind, messages: messages, tools: tools, scope: scope)
        var route = try await call.route()
        try await state.begin(key: key, kind: kind, tierID: route.tier.id)
        var reroutes = 0
        while true {
            let reason: TierRejection.Facts
            let failure: PurserError
            let outcome = await call.attempt(on: route, validator: validator)
            switch outcome {
            case .answered(let response, let charge):
                let finished = call.record(.succeeded, nil, decision: route.decision)
                let entry = JournalEntry(runID: runID, record: finished, output: Self.encodeResponse(response))
                do {
                    // One write where the ledger keeps the journal: a crash cannot leave the
                    // step charged but unjournaled, to be called and charged again on resume.
                    let alerts = try await environment.ledger.settle(
                        charge.reservation, usage: charge.usage, cost: charge.cost, journaling: entry,
                        in: environment.journal)
                    for alert in alerts { await state.emit(.budgetAlert(alert)) }
                } catch {
                    // The charge stands whatever happened to the journal; settle it if the
                    // failed write did not (a second settle of the same reservation is refused).
                    try? await call.post(charge)
                    let failure = PurserError(.internal, "could not journal the answer: \(error)", stepKey: key)
                    await state.end(call.record(.failed, failure, decision: route.decision))
                    throw failure
                }
                await state.end(finished)
                return response
            case .failed(let error, let fallBack):
                guard fallBack, call.tiersTried < call.maxTiers else {
                    await state.end(
                        call.record(error.code == .cancelled ? .cancelled : .failed, error, decision: route.decision))
                    throw error
                }
                reason = .failed(error: error.message)
                failure = error
            case .busy, .overBudget:
                reroutes += 1
                if case .overBudget(let refusal) = outcome, reroutes > 10 {
                    // Other calls keep taking what the budget has left before this one can.
                    let failure = PurserError(.budgetExceeded, refusal.description, stepKey: key)
                    await state.end(call.record(.failed, failure, decision: route.decision))
                    throw failure
                }
                do {
                    route = try await call.route()
                } catch {
                    await state.end(call.record(.failed, error, decision: route.decision))
                    throw error
                }
                continue
            case .rejected(let problem):
                failure = PurserError(
                    .invalidModelOutput,
                    "the answer on " + call.triedTierIDs.joined(separator: ", ") + " was not good enough: \(problem)",
                    stepKey: key)
                guard call.tiersTried < call.maxTiers, call.escalate(beyond: route.tier) else {
                    await state.end(call.record(.failed, failure, decision: route.decision))
                    throw failure
                }
                reason = .outputRejected(problem: problem)
            }
            call.excluded[route.tier.id] = reason
            do {
                let next = try await call.route()
                await state.rerouted(key: key, from: TierRejection(tierID: route.tier.id, reason), to: next.tier.id)
                route = next
            } catch {
                // Nothing can take over. With one tier tried, its failure says it all; after a
                // fallback, the failure also says which tiers were tried and why none is left.
                let final =
                    call.tiersTried == 1 && error.code != .budgetExceeded
                    ? failure
                    : PurserError(
                        error.code == .budgetExceeded ? .budgetExceeded : failure.code,
                        failure.message + "; no other tier can take over: " + error.message, stepKey: key)
                await state.end(call.record(.failed, final, decision: route.decision))
                throw final
            }
        }
    }

    /// Decides what follows a failed attempt: `nil` after waiting out the backoff when a retry
    /// may help (the run is told it is retrying), else the error the step fails with.
    func afterFailedAttempt(_ error: any Error, key: String, attempt: Int, policy: RetryPolicy) async -> PurserError? {
        let failure = failure(from: error, key: key)
        guard failure.code != .cancelled, failure.isRetryable, attempt < policy.maxAttempts else { return failure }
        let delay = policy.delay(
            afterAttempt: attempt, unitRandom: Double.random(in: 0..<1),
            retryAfter: (error as? ProviderError)?.retryAfter)
        await state.retrying(key: key, attempt: attempt, error: failure, delay: delay)
        do {
            try await environment.clock.sleep(for: delay)
            return nil
        } catch {
            return PurserError(.cancelled, "the run was cancelled", stepKey: key)
        }
    }

    /// The engine's error for anything a call threw, telling timeouts and cancellation apart.
    func failure(from error: any Error, key: String) -> PurserError {
        if let timedOut = error as? CallTimedOut {
            return PurserError(
                .timedOut, "no answer within \(timedOut.after.seconds) s", stepKey: key, isRetryable: true)
        }
        if let providerError = error as? ProviderError, providerError.kind == .timeout {
            return PurserError(.timedOut, providerError.message, stepKey: key, isRetryable: true)
        }
        if error is CancellationError || Task.isCancelled {
            return PurserError(.cancelled, "the run was cancelled", stepKey: key)
        }
        return PurserError.wrapping(error, stepKey: key)
    }

    static func replayed(_ record: StepRecord) -> StepRecord {
        var copy = record
        copy.status = .replayed
        return copy
    }

    /// A model answer as journal JSON, so a resumed run can replay it.
    static func encodeResponse(_ response: ModelResponse) -> JSONValue {
        .object([
            "text": .string(response.text),
            "toolCalls": .array(
                response.toolCalls.map {
                    .object(["id": .string($0.id), "name": .string($0.name), "arguments": $0.arguments])
                }),
        ])
    }

    static func decodeResponse(_ value: JSONValue, key: String) throws(PurserError) -> ModelResponse {
        guard let text = value["text"]?.stringValue else {
            throw PurserError(.internal, "the journal entry for '\(key)' is not a model answer", stepKey: key)
        }
        let calls = (value["toolCalls"]?.arrayValue ?? []).compactMap { call -> ToolCall? in
            guard let id = call["id"]?.stringValue, let name = call["name"]?.stringValue else { return nil }
            return ToolCall(id: id, name: name, arguments: call["arguments"] ?? .object([:]))
        }
        return ModelResponse(text: text, toolCalls: calls, usage: .zero)
    }
}
