/// A call to a registered ``Tool`` with arguments built from the input and earlier outputs.
///
/// ```swift
/// ToolStep("lookup", tool: "search_files", arguments: ["query": "{{steps.classify.topic}}", "limit": 3])
/// ```
public struct ToolStep: Sendable, Hashable, Codable, WorkflowComponent {
    public var id: String
    public var tool: String
    public var arguments: ValueTemplate
    public var timeout: Duration?
    public var retry: RetryPolicy?

    public init(_ id: String, tool: String, arguments: JSONValue = .object([:])) {
        self.id = id
        self.tool = tool
        self.arguments = ValueTemplate(arguments)
    }

    public func timeout(_ duration: Duration) -> ToolStep {
        var copy = self
        copy.timeout = duration
        return copy
    }

    public func retry(_ policy: RetryPolicy) -> ToolStep {
        var copy = self
        copy.retry = policy
        return copy
    }

    public var node: Node { .tool(self) }
}
