/// Anything that can appear in a workflow body.
public protocol WorkflowComponent: Sendable {
    var node: Node { get }
}

/// Builds a list of graph nodes from a workflow body, with `if`, `if`/`else` and `for`.
@resultBuilder
public enum WorkflowBuilder {
    public static func buildExpression(_ component: some WorkflowComponent) -> [Node] { [component.node] }
    public static func buildExpression(_ nodes: [Node]) -> [Node] { nodes }
    public static func buildBlock(_ parts: [Node]...) -> [Node] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Node]?) -> [Node] { part ?? [] }
    public static func buildEither(first part: [Node]) -> [Node] { part }
    public static func buildEither(second part: [Node]) -> [Node] { part }
    public static func buildArray(_ parts: [[Node]]) -> [Node] { parts.flatMap { $0 } }
    public static func buildLimitedAvailability(_ part: [Node]) -> [Node] { part }
}

extension Node: WorkflowComponent {
    public var node: Node { self }
}
