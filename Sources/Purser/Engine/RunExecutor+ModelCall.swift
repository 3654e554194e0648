import Foundation

extension RunExecutor {
    /// A plain model step: render the prompt, call, and turn the answer into the step's output.
    func runModelStep(_ step: ModelStep, scope: Scope) async throws -> JSONValue {
        let key = scope.key(step.id)
        var messages: [ChatMessage] = []
        if let system = step.system { messages.append(.system(try scope.render(system, stepKey: key))) }
        messages.append(.user(try scope.render(step.prompt, stepKey: key)))
        let response = try await callModel(
            key: key, step: step, kind: .model, messages: messages, tools: [], scope: scope)
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

    /// One model call with routing, reservation, timeout, retries, settlement, journal and record.
    ///
    /// An answer that breaks the step's output schema counts as a failed, paid attempt and is
    /// retried like any other retryable failure.
    func callModel(
        key: String, step: ModelStep, kind: StepKind, messages: [ChatMessage], tools: [ToolDefinition],
        scope: Scope
    ) async throws -> ModelResponse {
        if !journaled.isEmpty, let entry = journaled[key] {
            await state.add(Self.replayed(entry.record))
            return try Self.decodeResponse(entry.output, key: key)
        }
        let inputTokens = environment.tokenCounter.promptTokens(messages: messages, tools: tools)

        var needs = step.needs
        needs.jurisdictions = StepNeeds.narrow(step.needs.jurisdictions, by: scope.jurisdictions)
        let choice: TierChoice
        do {
            choice = try environment.selector.select(
                TierRequest(needs: needs, inputTokens: inputTokens, maxOutputTokens: step.maxOutputTokens))
        } catch {
            throw PurserError(.noTierMeetsNeeds, error.description, stepKey: key)
        }
        let tier = choice.tier
        guard let provider = environment.providers[tier.provider] else {
            throw PurserError(.internal, "no provider named '\(tier.provider)' serves tier '\(tier.id)'", stepKey: key)
        }
        let policy = step.retry ?? options.retry
        let timeout = step.timeout ?? options.stepTimeout
        let request = ModelRequest(
            messages: messages, tools: tools, maxOutputTokens: step.maxOutputTokens,
            reasoningEffort: step.needs.reasoning, outputSchema: step.outputSchema, timeout: timeout)
        // Providers that honour the request's timeout are called directly; a child task
        // racing a timer costs more than the rest of the engine's work on a call.
        let raceTimeout = provider.enforcesTimeout ? nil : timeout
        let clock = environment.clock

        try await state.begin(key: key, kind: kind, tierID: tier.id)
        let startedAt = clock.wallNow()
        let start = clock.monotonicNow()
        var usage = TokenUsage.zero
        var cost = Money.zero
        var estimated = false
        var attempt = 0
        func record(_ status: StepRecord.Status, _ error: PurserError?) -> StepRecord {
            StepRecord(
                key: key, stepID: step.id, kind: kind, status: status, tierID: tier.id, usage: usage,
                usageIsEstimated: estimated, cost: cost, latency: (clock.monotonicNow() - start).seconds,
                attempts: attempt, error: error, startedAt: startedAt, decision: TierDecision(choice))
        }

        while true {
            attempt += 1
            do {
                let reservation = try await environment.ledger.reserve(
                    ReservationRequest(
                        runID: runID, workflow: workflow, stepKey: key, tierID: tier.id, tags: tags,
                        amount: choice.worstCaseCost, tokens: inputTokens + step.maxOutputTokens))
                let response: ModelResponse
                do {
                    response = try await withTimeout(raceTimeout, clock: clock) {
                        try await provider.complete(request, on: tier)
                    }
                } catch {
                    try? await environment.ledger.release(reservation)
                    throw error
                }
                let callCost = tier.pricing.cost(of: response.usage)
                try await environment.ledger.settle(reservation, usage: response.usage, cost: callCost)
                usage += response.usage
                cost += callCost
                estimated = estimated || response.usageIsEstimated
                if response.toolCalls.isEmpty { _ = try Self.output(of: response, step: step, key: key) }

                let finished = record(.succeeded, nil)
                try await environment.journal.record(
                    JournalEntry(runID: runID, record: finished, output: Self.encodeResponse(response)))
                await state.end(finished)
                return response
            } catch {
                guard let final = await afterFailedAttempt(error, key: key, attempt: attempt, policy: policy) else {
                    continue
                }
                await state.end(record(final.code == .cancelled ? .cancelled : .failed, final))
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
