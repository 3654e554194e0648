/// A multi-step agent workflow, as a value: what it is called, what input it takes,
/// where it may run, and its steps.
///
/// ```swift
/// let triage = Workflow("support-triage", description: "Classify a ticket and draft a reply") {
///     ModelStep("classify", prompt: "Classify: {{input.ticket}}")
///         .needs(latency: .interactive)
///         .output(.object(["category": .string(oneOf: ["billing", "bug", "other"])]))
///     ModelStep("reply", prompt: "Draft a reply about {{steps.classify.category}}")
/// }
/// ```
///
/// Compile it (``Engine/compile(_:)`` or ``WorkflowGraph/init(compiling:tools:tiers:)``) to
/// validate it before it runs.
public struct Workflow: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    /// An input the workflow runs with, shown by `purser workflows`.
    public var exampleInput: JSONValue
    /// When set, inputs that do not conform are refused before the run starts.
    public var inputSchema: JSONSchema?
    /// Where every model step may run unless it narrows this further; `nil` for anywhere.
    public var jurisdictions: Set<Jurisdiction>?
    /// Steps run in order; the output of the last one is the run's output.
    public var steps: [Node]

    public init(
        _ name: String,
        description: String = "",
        exampleInput: JSONValue = .object([:]),
        inputSchema: JSONSchema? = nil,
        jurisdictions: Set<Jurisdiction>? = nil,
        @WorkflowBuilder steps: () -> [Node]
    ) {
        self.name = name
        self.description = description
        self.exampleInput = exampleInput
        self.inputSchema = inputSchema
        self.jurisdictions = jurisdictions
        self.steps = steps()
    }
}
