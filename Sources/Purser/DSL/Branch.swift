/// Runs one of two step lists, chosen by a ``Condition`` over the input and earlier outputs.
/// Its output is the output of the arm that ran (`null` when no arm ran).
///
/// ```swift
/// Branch("escalate", if: .equals("steps.classify.priority", "urgent")) {
///     ModelStep("page", prompt: "Write a page for on-call: {{input.ticket}}")
/// } otherwise: {
///     ModelStep("queue", prompt: "Write a queue note: {{input.ticket}}")
/// }
/// ```
public struct Branch: Sendable, Hashable, Codable, WorkflowComponent {
    public var id: String
    public var condition: Condition
    public var then: [Node]
    public var otherwise: [Node]

    public init(
        _ id: String, if condition: Condition, @WorkflowBuilder then: () -> [Node],
        @WorkflowBuilder otherwise: () -> [Node] = { [] }
    ) {
        self.id = id
        self.condition = condition
        self.then = then()
        self.otherwise = otherwise()
    }

    public var node: Node { .branch(self) }
}
