/// A workflow that passed validation, with a flat, inspectable list of its steps.
///
/// Only a `WorkflowGraph` can be run, so nothing reaches the engine unvalidated.
public struct WorkflowGraph: Sendable, Hashable, Codable {
    public let workflow: Workflow
    /// Every step in definition order, nested bodies included (sub-workflows' steps are
    /// listed under the sub-workflow's own graph).
    public let steps: [StepInfo]
    /// Graphs of the sub-workflows, by the id of the step that runs them.
    public let subgraphs: [String: WorkflowGraph]

    /// Validates `workflow`, reporting every problem at once.
    ///
    /// - Parameters:
    ///   - tools: when given, tool names are checked against it.
    ///   - tiers: when given, every model step must have at least one tier that could meet its needs.
    public init(compiling workflow: Workflow, tools: ToolRegistry? = nil, tiers: [Tier]? = nil)
        throws(WorkflowValidationError)
    {
        var validator = GraphValidator(workflow: workflow, tools: tools, tiers: tiers)
        let result = validator.run()
        guard validator.problems.isEmpty else {
            throw WorkflowValidationError(workflow: workflow.name, problems: validator.problems)
        }
        self.workflow = workflow
        self.steps = result.steps
        self.subgraphs = result.subgraphs
    }

    public var name: String { workflow.name }

    /// Model and tool calls the graph makes when every for-each has its maximum count and every
    /// loop runs to its bound (sub-workflows included): the worst case a budget must allow for.
    public var maxCallCount: Int { Self.maxCalls(workflow.steps) }

    private static func maxCalls(_ nodes: [Node]) -> Int {
        nodes.reduce(0) { total, node in
            switch node {
            case .model, .tool: total + 1
            case .sequence(let children), .parallel(let children): total + maxCalls(children)
            case .forEach(let step): total + (step.maxCount ?? 0) * maxCalls(step.body)
            case .agentLoop(let loop): total + (loop.maxIterations ?? 0) * (1 + loop.tools.count)
            case .branch(let branch): total + max(maxCalls(branch.then), maxCalls(branch.otherwise))
            case .subworkflow(let sub): total + maxCalls(sub.workflow.steps)
            }
        }
    }
}

/// One step of a compiled graph, for people and tools that inspect workflows.
public struct StepInfo: Sendable, Hashable, Codable {
    public let id: String
    public let kind: StepKind
    /// The enclosing step (for-each, branch), if any.
    public let parent: String?
    /// Steps whose outputs this one reads.
    public let dependsOn: [String]
    public let tool: String?
    public let tools: [String]?
    public let needs: StepNeeds?
    public let maxOutputTokens: Int?
    public let maxCount: Int?
    public let maxConcurrency: Int?
    public let maxIterations: Int?
}
