/// Runs its body once for every element of a list, several at a time.
///
/// The list comes from the input or an earlier step's JSON output (`"input.clauses"`,
/// `"steps.plan.tasks"`). Inside the body `{{item}}` is the element and `{{index}}` its
/// position. The step's output is the list of the body's outputs, in order.
///
/// `maxCount` is required by validation: it bounds the fan-out, so estimates and budgets
/// have a worst case. A list longer than it fails the step rather than being cut silently.
public struct ForEach: Sendable, Hashable, Codable, WorkflowComponent {
    public var id: String
    public var over: String
    public var maxCount: Int?
    public var maxConcurrency: Int
    public var body: [Node]

    public init(
        _ id: String, over list: String, maxCount: Int? = nil, maxConcurrency: Int = 4,
        @WorkflowBuilder body: () -> [Node]
    ) {
        self.id = id
        self.over = list
        self.maxCount = maxCount
        self.maxConcurrency = maxConcurrency
        self.body = body()
    }

    public var node: Node { .forEach(self) }
}
