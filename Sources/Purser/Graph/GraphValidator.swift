/// Walks a workflow once, collecting every problem and the flat step list.
///
/// Visibility follows execution: a step sees the input, the steps before it in its
/// sequence, and what its enclosing scopes see. Parallel branches do not see each other;
/// steps inside a for-each body or a branch arm are not visible outside it (the for-each
/// or branch step's own output is).
struct GraphValidator {
    typealias Problem = WorkflowValidationError.Problem

    let workflow: Workflow
    let tools: ToolRegistry?
    let tiers: [Tier]?
    private(set) var problems: [Problem] = []
    private var steps: [StepInfo] = []
    private var subgraphs: [String: WorkflowGraph] = [:]
    /// Ids defined so far, in walk order.
    private var defined: Set<String> = []
    /// Every id in the workflow, to tell "later" from "unknown".
    private let allIDs: Set<String>

    init(workflow: Workflow, tools: ToolRegistry?, tiers: [Tier]?) {
        self.workflow = workflow
        self.tools = tools
        self.tiers = tiers
        var ids: Set<String> = []
        Self.collectIDs(workflow.steps, into: &ids)
        self.allIDs = ids
    }

    private static func collectIDs(_ nodes: [Node], into ids: inout Set<String>) {
        for node in nodes {
            if let id = node.id { ids.insert(id) }
            switch node {
            case .sequence(let children), .parallel(let children): collectIDs(children, into: &ids)
            case .forEach(let step): collectIDs(step.body, into: &ids)
            case .branch(let branch):
                collectIDs(branch.then, into: &ids)
                collectIDs(branch.otherwise, into: &ids)
            default: break
            }
        }
    }

    struct Context {
        var visible: Set<String>
        var forEachDepth: Int
        var parent: String?
    }

    mutating func run() -> (steps: [StepInfo], subgraphs: [String: WorkflowGraph]) {
        if workflow.steps.isEmpty {
            problems.append(Problem(kind: .emptyWorkflow, stepID: nil, message: "the workflow has no steps"))
        }
        if let jurisdictions = workflow.jurisdictions, jurisdictions.isEmpty {
            problems.append(
                Problem(
                    kind: .unsatisfiableNeeds, stepID: nil,
                    message: "the workflow allows no jurisdiction at all"))
        }
        _ = validate(workflow.steps, Context(visible: [], forEachDepth: 0, parent: nil))
        return (steps, subgraphs)
    }

    /// Validates a sequence; returns the ids it makes visible to what follows it.
    private mutating func validate(_ nodes: [Node], _ context: Context) -> Set<String> {
        var context = context
        var exported: Set<String> = []
        for node in nodes {
            let exports = validate(node, context)
            context.visible.formUnion(exports)
            exported.formUnion(exports)
        }
        return exported
    }

    private mutating func validate(_ node: Node, _ context: Context) -> Set<String> {
        switch node {
        case .model(let step):
            let deps = checkTemplates([step.system, step.prompt].compactMap { $0 }, stepID: step.id, context)
            checkModelCall(step, isAgentLoop: false)
            define(step.id, kind: .model, context, dependsOn: deps, needs: step.needs, maxOutputTokens: step.maxOutputTokens)
            return [step.id]

        case .tool(let step):
            let deps = checkTemplates(step.arguments.templates, stepID: step.id, context)
            if let tools, !tools.contains(step.tool) {
                problems.append(
                    Problem(
                        kind: .unknownTool, stepID: step.id,
                        message: "unknown tool '\(step.tool)' (known: \(tools.names.joined(separator: ", ")))"))
            }
            define(step.id, kind: .tool, context, dependsOn: deps, tool: step.tool)
            return [step.id]

        case .sequence(let children):
            return validate(children, context)

        case .parallel(let branches):
            var exported: Set<String> = []
            for branch in branches {
                exported.formUnion(validate(branch, context))
            }
            return exported

        case .forEach(let step):
            var deps: [String] = []
            switch Reference.parse(Substring(step.over)) {
            case .success(let reference):
                deps = checkReferences([reference], stepID: step.id, context)
            case .failure(let failure):
                problems.append(Problem(kind: .malformedTemplate, stepID: step.id, message: failure.reason))
            }
            if let maxCount = step.maxCount {
                if maxCount < 1 {
                    problems.append(
                        Problem(kind: .invalidBound, stepID: step.id, message: "maxCount must be at least 1"))
                }
            } else {
                problems.append(
                    Problem(
                        kind: .unboundedFanOut, stepID: step.id,
                        message: "for-each over '\(step.over)' has no maxCount; declare the most items it may fan out to"))
            }
            if step.maxConcurrency < 1 {
                problems.append(
                    Problem(kind: .invalidBound, stepID: step.id, message: "maxConcurrency must be at least 1"))
            }
            if step.body.isEmpty {
                problems.append(Problem(kind: .emptyWorkflow, stepID: step.id, message: "the for-each body is empty"))
            }
            define(
                step.id, kind: .forEach, context, dependsOn: deps, maxCount: step.maxCount,
                maxConcurrency: step.maxConcurrency)
            var inner = context
            inner.forEachDepth += 1
            inner.parent = step.id
            _ = validate(step.body, inner)
            return [step.id]

        case .agentLoop(let loop):
            let step = loop.modelStep
            let deps = checkTemplates([step.system, step.prompt].compactMap { $0 }, stepID: step.id, context)
            checkModelCall(step, isAgentLoop: true)
            if let maxIterations = loop.maxIterations {
                if maxIterations < 1 {
                    problems.append(
                        Problem(kind: .invalidBound, stepID: step.id, message: "maxIterations must be at least 1"))
                }
            } else {
                problems.append(
                    Problem(
                        kind: .unboundedLoop, stepID: step.id,
                        message: "agent loop has no maxIterations; declare the most model calls it may make"))
            }
            if loop.tools.isEmpty {
                problems.append(
                    Problem(kind: .unknownTool, stepID: step.id, message: "agent loop offers no tools"))
            }
            if let tools {
                for name in loop.tools where !tools.contains(name) {
                    problems.append(
                        Problem(
                            kind: .unknownTool, stepID: step.id,
                            message: "unknown tool '\(name)' (known: \(tools.names.joined(separator: ", ")))"))
                }
            }
            define(
                step.id, kind: .agentLoop, context, dependsOn: deps, tools: loop.tools, needs: step.needs,
                maxOutputTokens: step.maxOutputTokens, maxIterations: loop.maxIterations)
            return [step.id]

        case .branch(let branch):
            var references: [Reference] = []
            for path in branch.condition.paths {
                switch Reference.parse(Substring(path)) {
                case .success(let reference): references.append(reference)
                case .failure(let failure):
                    problems.append(Problem(kind: .malformedTemplate, stepID: branch.id, message: failure.reason))
                }
            }
            let deps = checkReferences(references, stepID: branch.id, context)
            define(branch.id, kind: .branch, context, dependsOn: deps)
            var inner = context
            inner.parent = branch.id
            _ = validate(branch.then, inner)
            _ = validate(branch.otherwise, inner)
            return [branch.id]

        case .subworkflow(let sub):
            let deps = checkTemplates(sub.input.templates, stepID: sub.id, context)
            do {
                subgraphs[sub.id] = try WorkflowGraph(compiling: sub.workflow, tools: tools, tiers: tiers)
            } catch {
                for problem in error.problems {
                    problems.append(
                        Problem(
                            kind: problem.kind, stepID: sub.id,
                            message: "in sub-workflow '\(sub.workflow.name)': \(problem)"))
                }
            }
            define(sub.id, kind: .subworkflow, context, dependsOn: deps)
            return [sub.id]
        }
    }

    private mutating func define(
        _ id: String, kind: StepKind, _ context: Context, dependsOn: [String], tool: String? = nil,
        tools: [String]? = nil, needs: StepNeeds? = nil, maxOutputTokens: Int? = nil, maxCount: Int? = nil,
        maxConcurrency: Int? = nil, maxIterations: Int? = nil
    ) {
        if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            problems.append(
                Problem(
                    kind: .invalidStepID, stepID: id,
                    message: "step ids use letters, digits, '_' and '-' only"))
        }
        if defined.contains(id) {
            problems.append(
                Problem(kind: .duplicateStepID, stepID: id, message: "the id '\(id)' is used by more than one step"))
        }
        defined.insert(id)
        steps.append(
            StepInfo(
                id: id, kind: kind, parent: context.parent, dependsOn: dependsOn, tool: tool, tools: tools,
                needs: needs, maxOutputTokens: maxOutputTokens, maxCount: maxCount, maxConcurrency: maxConcurrency,
                maxIterations: maxIterations))
    }

    private mutating func checkTemplates(_ templates: [Template], stepID: String, _ context: Context) -> [String] {
        var references: [Reference] = []
        for template in templates {
            if let problem = template.problem {
                problems.append(
                    Problem(kind: .malformedTemplate, stepID: stepID, message: "template \"\(template.source)\": \(problem)"))
            }
            references.append(contentsOf: template.references)
        }
        return checkReferences(references, stepID: stepID, context)
    }

    /// Checks each reference is readable here; returns the step ids read.
    private mutating func checkReferences(_ references: [Reference], stepID: String, _ context: Context) -> [String] {
        var dependencies: [String] = []
        for reference in references {
            switch reference.root {
            case .input:
                continue
            case .item, .index:
                if context.forEachDepth == 0 {
                    problems.append(
                        Problem(
                            kind: .unknownReference, stepID: stepID,
                            message: "'{{\(reference)}}' is only available inside a for-each"))
                }
            case .step(let id):
                if context.visible.contains(id) {
                    if !dependencies.contains(id) { dependencies.append(id) }
                } else if id == stepID {
                    problems.append(
                        Problem(kind: .laterReference, stepID: stepID, message: "refers to its own output '\(reference)'"))
                } else if !allIDs.contains(id) {
                    problems.append(
                        Problem(kind: .unknownReference, stepID: stepID, message: "refers to unknown step '\(id)'"))
                } else if !defined.contains(id) {
                    problems.append(
                        Problem(
                            kind: .laterReference, stepID: stepID,
                            message: "refers to step '\(id)', which runs later"))
                } else {
                    problems.append(
                        Problem(
                            kind: .invisibleReference, stepID: stepID,
                            message:
                                "refers to step '\(id)', which is not visible here (a parallel sibling, or inside a for-each body or branch arm)"
                        ))
                }
            }
        }
        return dependencies
    }

    private mutating func checkModelCall(_ step: ModelStep, isAgentLoop: Bool) {
        if step.maxOutputTokens < 1 {
            problems.append(
                Problem(kind: .invalidBound, stepID: step.id, message: "maxOutputTokens must be at least 1"))
        }
        if let maxTiers = step.maxTiers, maxTiers < 1 {
            problems.append(
                Problem(kind: .invalidBound, stepID: step.id, message: "fallback maxTiers must be at least 1"))
        }
        if isAgentLoop, step.validator != nil {
            problems.append(
                Problem(
                    kind: .invalidBound, stepID: step.id,
                    message: "an agent loop's calls can't be validated; validate a model step that reads its answer"))
        }
        if step.needs.latency.p95Seconds <= 0 {
            problems.append(
                Problem(kind: .unsatisfiableNeeds, stepID: step.id, message: "a p95 latency bound must be positive"))
        }
        if !isAgentLoop, step.needs.capabilities.contains(.tools) {
            problems.append(
                Problem(
                    kind: .unsatisfiableNeeds, stepID: step.id,
                    message: "needs the tools capability, but only an agent loop can call tools"))
        }
        let needs = effectiveNeeds(step.needs)
        if let jurisdictions = needs.jurisdictions, jurisdictions.isEmpty {
            problems.append(
                Problem(
                    kind: .unsatisfiableNeeds, stepID: step.id,
                    message: "no jurisdiction is allowed (the step's and the workflow's lists do not overlap)"))
            return
        }
        guard let tiers, step.maxOutputTokens >= 1 else { return }
        let request = RouteRequest(needs: needs, inputTokens: 0, maxOutputTokens: step.maxOutputTokens)
        do {
            _ = try Router(tiers: tiers).route(request)
        } catch {
            problems.append(Problem(kind: .unsatisfiableNeeds, stepID: step.id, message: error.description))
        }
    }

    private func effectiveNeeds(_ needs: StepNeeds) -> StepNeeds {
        var effective = needs
        effective.jurisdictions = StepNeeds.narrow(needs.jurisdictions, by: workflow.jurisdictions)
        return effective
    }
}

extension StepNeeds {
    /// A step's jurisdictions within its workflow's: the intersection when both are set.
    static func narrow(_ step: Set<Jurisdiction>?, by workflow: Set<Jurisdiction>?) -> Set<Jurisdiction>? {
        switch (step, workflow) {
        case (nil, nil): nil
        case (let step?, nil): step
        case (nil, let workflow?): workflow
        case (let step?, let workflow?): step.intersection(workflow)
        }
    }
}
