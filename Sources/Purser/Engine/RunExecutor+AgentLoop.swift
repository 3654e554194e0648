extension RunExecutor {
    /// Model ⇄ tools until the model answers without tool calls or the iteration bound is hit.
    /// The last permitted call offers no tools, so the loop always ends with an answer.
    func runAgentLoop(_ loop: AgentLoop, scope: Scope) async throws -> JSONValue {
        let step = loop.modelStep
        let loopKey = scope.key(step.id)
        var messages: [ChatMessage] = []
        if let system = step.system { messages.append(.system(try scope.render(system, stepKey: loopKey))) }
        messages.append(.user(try scope.render(step.prompt, stepKey: loopKey)))
        let definitions = loop.tools.compactMap { environment.tools[$0]?.definition }
        let maxIterations = max(loop.maxIterations ?? 1, 1)

        for iteration in 1...maxIterations {
            let key = "\(loopKey)#\(iteration)"
            let isLast = iteration == maxIterations
            if iteration > 1 { await state.plan(additionalCalls: 1) }
            let response = try await callModel(
                key: key, step: step, kind: .model, messages: messages, tools: isLast ? [] : definitions,
                scope: scope)
            if response.toolCalls.isEmpty {
                await state.observeLoop(loopKey, iterations: iteration)
                return try Self.output(of: response, step: step, key: key)
            }
            messages.append(ChatMessage(role: .assistant, content: response.text, toolCalls: response.toolCalls))
            await state.plan(additionalCalls: response.toolCalls.count)
            let results = try await runToolCalls(response.toolCalls, loop: loop, iterationKey: key, step: step)
            for (call, result) in zip(response.toolCalls, results) {
                messages.append(ChatMessage(role: .tool, content: result.compactJSON, toolCallID: call.id))
            }
        }
        // Unreachable: the last iteration offers no tools, and a model that calls one anyway
        // has answered with nothing usable.
        throw PurserError(
            .invalidModelOutput, "the model kept calling tools after its last permitted iteration", stepKey: loopKey)
    }

    /// Runs one turn's tool calls concurrently. A failing tool gives the model an error
    /// result instead of failing the run; only cancellation stops the loop.
    private func runToolCalls(
        _ calls: [ToolCall], loop: AgentLoop, iterationKey: String, step: ModelStep
    ) async throws -> [JSONValue] {
        var keys: [String] = []
        var seen: [String: Int] = [:]
        for call in calls {
            seen[call.name, default: 0] += 1
            let count = seen[call.name]!
            keys.append("\(iterationKey)/\(call.name)" + (count > 1 ? "#\(count)" : ""))
        }
        var results = [JSONValue](repeating: .null, count: calls.count)
        try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
            for (position, call) in calls.enumerated() {
                let key = keys[position]
                group.addTask {
                    guard loop.tools.contains(call.name) else {
                        return (position, ["error": .string("unknown tool '\(call.name)'; use one of: \(loop.tools.joined(separator: ", "))")])
                    }
                    do {
                        let output = try await callTool(
                            key: key, stepID: step.id, name: call.name, arguments: call.arguments,
                            timeout: step.timeout ?? options.stepTimeout, retry: .none)
                        return (position, output)
                    } catch let error as PurserError where error.code != .cancelled {
                        return (position, ["error": .string(error.message)])
                    }
                }
            }
            for try await (position, result) in group { results[position] = result }
        }
        return results
    }
}
