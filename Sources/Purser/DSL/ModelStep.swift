/// A call to a model, routed to the cheapest tier that meets its ``needs``.
///
/// ```swift
/// ModelStep("classify", system: "You triage support tickets.", prompt: "Ticket: {{input.ticket}}")
///     .needs(latency: .interactive, reasoning: .low)
///     .maxOutputTokens(200)
///     .output(.object(["priority": .string(oneOf: ["low", "high"])]))
/// ```
public struct ModelStep: Sendable, Hashable, Codable, WorkflowComponent {
    public var id: String
    public var system: Template?
    public var prompt: Template
    public var needs: StepNeeds
    /// Bounds the answer, reasoning included; the budget reserves against it.
    public var maxOutputTokens: Int
    /// When set, the answer must be JSON conforming to it, and the step's output is that JSON.
    public var outputSchema: JSONSchema?
    /// Overrides the run's per-call timeout.
    public var timeout: Duration?
    /// Overrides the run's retry policy.
    public var retry: RetryPolicy?
    /// A check the answer must pass; a failing answer escalates to a deeper tier.
    public var validator: OutputValidator?
    /// How many tiers the step may try: falling back after a tier fails, escalating after an
    /// answer fails the validator. `nil` means ``defaultMaxTiers``.
    public var maxTiers: Int?

    /// Tiers a step tries at most unless it says otherwise.
    public static let defaultMaxTiers = 3

    public init(_ id: String, system: Template? = nil, prompt: Template) {
        self.id = id
        self.system = system
        self.prompt = prompt
        self.needs = StepNeeds()
        self.maxOutputTokens = 1024
        self.outputSchema = nil
        self.timeout = nil
        self.retry = nil
        self.validator = nil
        self.maxTiers = nil
    }

    public var node: Node { .model(self) }
}

/// Modifiers shared by model steps and agent loops.
public protocol ModelCallConfigurable {
    var modelStep: ModelStep { get set }
}

extension ModelStep: ModelCallConfigurable {
    public var modelStep: ModelStep {
        get { self }
        set { self = newValue }
    }
}

extension ModelCallConfigurable {
    public func needs(
        latency: LatencyNeed = .standard, reasoning: ReasoningDepth = .none, minimumContext: Int? = nil,
        capabilities: Set<Capability> = [], jurisdictions: Set<Jurisdiction>? = nil
    ) -> Self {
        var copy = self
        let keep = copy.modelStep.needs.capabilities
        copy.modelStep.needs = StepNeeds(
            latency: latency, reasoning: reasoning, minimumContext: minimumContext,
            capabilities: capabilities.union(keep), jurisdictions: jurisdictions)
        return copy
    }

    public func maxOutputTokens(_ tokens: Int) -> Self {
        var copy = self
        copy.modelStep.maxOutputTokens = tokens
        return copy
    }

    /// Asks for JSON conforming to `schema`; the step then needs the `json` capability.
    public func output(_ schema: JSONSchema) -> Self {
        var copy = self
        copy.modelStep.outputSchema = schema
        copy.modelStep.needs.capabilities.insert(.json)
        return copy
    }

    public func timeout(_ duration: Duration) -> Self {
        var copy = self
        copy.modelStep.timeout = duration
        return copy
    }

    public func retry(_ policy: RetryPolicy) -> Self {
        var copy = self
        copy.modelStep.retry = policy
        return copy
    }

    /// Lets the call try up to `maxTiers` tiers: when one fails after its retries, the next
    /// cheapest that meets the needs takes over. 1 turns fallback and escalation off.
    public func fallback(maxTiers: Int) -> Self {
        var copy = self
        copy.modelStep.maxTiers = maxTiers
        return copy
    }
}
