/// The tools an engine offers, by name.
public struct ToolRegistry: Sendable {
    private var tools: [String: any Tool]

    public init(_ tools: [any Tool] = []) {
        self.tools = [:]
        for tool in tools { self.tools[tool.name] = tool }
    }

    public subscript(name: String) -> (any Tool)? { tools[name] }

    public var names: [String] { tools.keys.sorted() }

    public func contains(_ name: String) -> Bool { tools[name] != nil }

    public mutating func register(_ tool: any Tool) {
        tools[tool.name] = tool
    }
}
