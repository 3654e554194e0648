/// Steps that run one after another; each sees the outputs of those before it.
/// A workflow's body is already sequential; use this to group steps inside a ``Parallel``.
public struct Sequential: Sendable, WorkflowComponent {
    public let steps: [Node]

    public init(@WorkflowBuilder _ steps: () -> [Node]) {
        self.steps = steps()
    }

    public var node: Node { .sequence(steps) }
}

/// Branches that run at the same time. Each child is one branch (group several steps
/// with ``Sequential``). Branches cannot read each other's outputs; the steps after the
/// parallel block can read them all.
public struct Parallel: Sendable, WorkflowComponent {
    public let branches: [Node]

    public init(@WorkflowBuilder _ branches: () -> [Node]) {
        self.branches = branches()
    }

    public var node: Node { .parallel(branches) }
}
