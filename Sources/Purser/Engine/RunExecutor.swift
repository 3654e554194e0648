import Foundation

/// Walks one run's graph. A value: the mutable parts live in ``RunState`` (records,
/// slots, events) and in the ``Scope`` each branch carries.
struct RunExecutor: Sendable {
    let environment: EngineEnvironment
    let state: RunState
    let runID: RunID
    let workflow: String
    let tags: [String: String]
    let options: RunOptions
    /// Steps finished by an earlier attempt at this run, by key.
    let journaled: [String: JournalEntry]
    /// Expected output tokens per call of each model step, by step path, from the run's
    /// estimate; the router ranks tiers by cost at this size.
    let expectedOutput: [String: OutputExpectation]

    /// A model step's output per call as the run's estimate expects it.
    struct OutputExpectation: Sendable {
        var expected: Int
        var p95: Int?
    }

    /// What a node produced: its output, and the step outputs it makes visible to later steps.
    struct NodeResult: Sendable {
        var output: JSONValue
        var exports: [String: JSONValue]
    }

    /// Runs steps in order, each seeing the outputs of those before it.
    func executeSequence(_ nodes: [Node], scope: Scope) async throws -> NodeResult {
        var scope = scope
        var result = NodeResult(output: .null, exports: [:])
        for node in nodes {
            try Task.checkCancellation()
            let step = try await execute(node, scope: scope)
            for (id, value) in step.exports {
                scope.outputs[id] = value
                result.exports[id] = value
            }
            result.output = step.output
        }
        return result
    }

    func execute(_ node: Node, scope: Scope) async throws -> NodeResult {
        switch node {
        case .model(let step):
            let output = try await runModelStep(step, scope: scope)
            return NodeResult(output: output, exports: [step.id: output])

        case .tool(let step):
            let key = scope.key(step.id)
            let arguments = try scope.render(step.arguments, stepKey: key)
            let output = try await callTool(
                key: key, stepID: step.id, name: step.tool, arguments: arguments,
                timeout: step.timeout ?? options.stepTimeout, retry: step.retry ?? options.retry)
            return NodeResult(output: output, exports: [step.id: output])

        case .sequence(let children):
            return try await executeSequence(children, scope: scope)

        case .parallel(let branches):
            return try await executeParallel(branches, scope: scope)

        case .forEach(let step):
            let output = try await executeForEach(step, scope: scope)
            return NodeResult(output: output, exports: [step.id: output])

        case .agentLoop(let loop):
            let output = try await runAgentLoop(loop, scope: scope)
            return NodeResult(output: output, exports: [loop.id: output])

        case .branch(let branch):
            let key = scope.key(branch.id)
            let tookThen = try scope.evaluate(branch.condition, stepKey: key)
            await state.observeBranch(key, tookThen: tookThen)
            let arm = tookThen ? branch.then : branch.otherwise
            let output = arm.isEmpty ? JSONValue.null : try await executeSequence(arm, scope: scope).output
            return NodeResult(output: output, exports: [branch.id: output])

        case .subworkflow(let sub):
            let key = scope.key(sub.id)
            let input = try scope.render(sub.input, stepKey: key)
            if let schema = sub.workflow.inputSchema {
                let problems = schema.violations(of: input)
                guard problems.isEmpty else {
                    throw PurserError(
                        .invalidInput,
                        "input for sub-workflow '\(sub.workflow.name)' is invalid: " + problems.joined(separator: "; "),
                        stepKey: key)
                }
            }
            let inner = Scope(
                input: input, keyPrefix: key + "/",
                jurisdictions: StepNeeds.narrow(sub.workflow.jurisdictions, by: scope.jurisdictions))
            let output = try await executeSequence(sub.workflow.steps, scope: inner).output
            return NodeResult(output: output, exports: [sub.id: output])
        }
    }

    private func executeParallel(_ branches: [Node], scope: Scope) async throws -> NodeResult {
        var outputs = [JSONValue](repeating: .null, count: branches.count)
        var exports: [String: JSONValue] = [:]
        try await withThrowingTaskGroup(of: (Int, NodeResult).self) { group in
            for (position, branch) in branches.enumerated() {
                group.addTask { (position, try await execute(branch, scope: scope)) }
            }
            for try await (position, result) in group {
                outputs[position] = result.output
                exports.merge(result.exports) { _, new in new }
            }
        }
        return NodeResult(output: .array(outputs), exports: exports)
    }

    private func executeForEach(_ step: ForEach, scope: Scope) async throws -> JSONValue {
        let key = scope.key(step.id)
        let reference: Reference
        do { reference = try Reference(parsing: step.over) } catch {
            throw PurserError(.internal, error.reason, stepKey: key)
        }
        let list = try scope.resolve(reference, stepKey: key)
        guard case .array(let items) = list else {
            throw PurserError(
                reference.root == .input ? .invalidInput : .invalidModelOutput,
                "for-each over '\(step.over)' needs a list, got \(list.typeName)", stepKey: key)
        }
        if let maxCount = step.maxCount, items.count > maxCount {
            throw PurserError(
                .fanOutExceeded,
                "for-each over '\(step.over)' has \(items.count) items, more than its declared maxCount \(maxCount)",
                stepKey: key)
        }
        await state.observeForEach(key, count: items.count)
        await state.plan(additionalCalls: items.count * Self.staticCallCount(step.body))
        guard !items.isEmpty else { return .array([]) }

        let parentBox = ParentScope(scope)
        // A pool of workers pulls items in order. More workers than the run's call limit could
        // only wait for slots, and a child task per item costs more than a call's own work.
        let workers = min(step.maxConcurrency, options.maxConcurrency, items.count)
        let queue = WorkQueue(count: items.count)
        var outputs = [JSONValue](repeating: .null, count: items.count)
        try await withThrowingTaskGroup(of: [(Int, JSONValue)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var done: [(Int, JSONValue)] = []
                    while let position = queue.next() {
                        try Task.checkCancellation()
                        let itemScope = scope.child(
                            item: items[position], index: position, prefix: "\(key)[\(position)]/",
                            parentBox: parentBox)
                        done.append((position, try await executeSequence(step.body, scope: itemScope).output))
                    }
                    return done
                }
            }
            for try await finished in group {
                for (position, output) in finished { outputs[position] = output }
            }
        }
        return .array(outputs)
    }

    /// Calls a run makes through these nodes if for-each bodies run once and loops once: the
    /// number progress starts from before fan-outs are known.
    static func staticCallCount(_ nodes: [Node]) -> Int {
        nodes.reduce(0) { total, node in
            switch node {
            case .model, .tool, .agentLoop: total + 1
            case .sequence(let children), .parallel(let children): total + staticCallCount(children)
            case .forEach: total
            case .branch(let branch): total + max(staticCallCount(branch.then), staticCallCount(branch.otherwise))
            case .subworkflow(let sub): total + staticCallCount(sub.workflow.steps)
            }
        }
    }
}
