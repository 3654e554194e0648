/// One construct of a workflow graph. The DSL builds these; the engine walks them.
public indirect enum Node: Sendable, Hashable, Codable {
    case model(ModelStep)
    case tool(ToolStep)
    case sequence([Node])
    case parallel([Node])
    case forEach(ForEach)
    case agentLoop(AgentLoop)
    case branch(Branch)
    case subworkflow(Subworkflow)

    /// The step id a node defines, if it has one (sequences and parallels have none).
    public var id: String? {
        switch self {
        case .model(let step): step.id
        case .tool(let step): step.id
        case .forEach(let step): step.id
        case .agentLoop(let step): step.id
        case .branch(let step): step.id
        case .subworkflow(let step): step.id
        case .sequence, .parallel: nil
        }
    }

    public var kind: StepKind {
        switch self {
        case .model: .model
        case .tool: .tool
        case .sequence: .sequence
        case .parallel: .parallel
        case .forEach: .forEach
        case .agentLoop: .agentLoop
        case .branch: .branch
        case .subworkflow: .subworkflow
        }
    }
}

/// The kinds of construct, as named in graphs, records and events.
public enum StepKind: String, Sendable, Hashable, Codable {
    case model, tool, sequence, parallel, forEach, agentLoop, branch, subworkflow
}
