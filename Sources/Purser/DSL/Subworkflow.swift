/// Runs another workflow as one step of this one, with an input built from this run.
/// Its steps are recorded as `ID/STEP`; its output is the sub-workflow's output.
public struct Subworkflow: Sendable, Hashable, Codable, WorkflowComponent {
    public var id: String
    public var workflow: Workflow
    public var input: ValueTemplate

    public init(_ id: String, workflow: Workflow, input: JSONValue) {
        self.id = id
        self.workflow = workflow
        self.input = ValueTemplate(input)
    }

    public var node: Node { .subworkflow(self) }
}
