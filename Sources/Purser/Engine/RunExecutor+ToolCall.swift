extension RunExecutor {
    /// One tool call with argument validation, timeout, retries, journal and record.
    func callTool(
        key: String, stepID: String, name: String, arguments: JSONValue, timeout: Duration?, retry: RetryPolicy
    ) async throws -> JSONValue {
        if !journaled.isEmpty, let entry = journaled[key] {
            await state.add(Self.replayed(entry.record))
            return entry.output
        }
        guard let tool = environment.tools[name] else {
            throw PurserError(.toolFailure, "unknown tool '\(name)'", stepKey: key)
        }
        let clock = environment.clock
        try await state.begin(key: key, kind: .tool, tierID: nil)
        let startedAt = clock.wallNow()
        let start = clock.monotonicNow()
        var attempt = 0
        func record(_ status: StepRecord.Status, _ error: PurserError?) -> StepRecord {
            StepRecord(
                key: key, stepID: stepID, kind: .tool, status: status, tool: name,
                latency: (clock.monotonicNow() - start).seconds, attempts: attempt, error: error,
                startedAt: startedAt)
        }
        while true {
            attempt += 1
            do {
                let output = try await withTimeout(tool.finishesPromptly ? nil : timeout, clock: clock) {
                    try await tool.validatedInvoke(arguments)
                }
                var finished = record(.succeeded, nil)
                finished.resultTokens = environment.tokenCounter.count(output.compactJSON)
                try await environment.journal.record(JournalEntry(runID: runID, record: finished, output: output))
                await state.end(finished)
                return output
            } catch {
                guard let final = await afterFailedAttempt(error, key: key, attempt: attempt, policy: retry) else {
                    continue
                }
                await state.end(record(final.code == .cancelled ? .cancelled : .failed, final))
                throw final
            }
        }
    }
}
