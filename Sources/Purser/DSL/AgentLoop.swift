/// A model that may call tools, called again with their results until it answers
/// without calling any, or until `maxIterations` model calls.
///
/// The last permitted call is made without tools, so the loop always ends with an
/// answer. Tool failures are given back to the model as results, as a person would see
/// them, rather than failing the run.
///
/// ```swift
/// AgentLoop("research", prompt: "Answer: {{input.question}}", tools: ["search_files", "calculator"],
///           maxIterations: 6)
///     .needs(latency: .standard, reasoning: .medium)
/// ```
public struct AgentLoop: Sendable, Hashable, Codable, WorkflowComponent, ModelCallConfigurable {
    public var modelStep: ModelStep
    public var tools: [String]
    public var maxIterations: Int?

    public init(
        _ id: String, system: Template? = nil, prompt: Template, tools: [String], maxIterations: Int? = nil
    ) {
        var step = ModelStep(id, system: system, prompt: prompt)
        step.needs.capabilities.insert(.tools)
        self.modelStep = step
        self.tools = tools
        self.maxIterations = maxIterations
    }

    public var id: String { modelStep.id }

    public var node: Node { .agentLoop(self) }
}
