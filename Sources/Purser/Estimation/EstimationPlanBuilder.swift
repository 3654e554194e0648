/// Builds an ``EstimationPlan`` from a compiled graph, its input and the learned history.
struct EstimationPlanBuilder {
    typealias Plan = EstimationPlan

    let workflow: String
    let router: Router
    let counter: any TokenCounter
    let tools: ToolRegistry
    let history: LearnedHistory

    private(set) var rows: [Plan.Row] = []
    private var rowIndex: [String: Int] = [:]
    private(set) var slotCount = 0
    /// Expected output tokens of each slot, for routing later steps on expected input.
    private var expectedOutput: [Double] = []
    /// JSON schemas of model answers, by slot, to size references to one of their members.
    private var schemas: [Int: JSONSchema] = [:]
    /// The least confident fan-out count or branch frequency met.
    private(set) var shapeConfidence = EstimateConfidence.learned

    /// Before any history, a tool result is taken to be 64-512 tokens; its worst case, which
    /// no declaration bounds, is the largest seen or 8,192 tokens.
    static let toolResultPrior = 64...512
    static let toolResultWorst = 8192
    /// An `{{item}}` from a list known only at run time is taken to be 64 tokens.
    static let unknownItemPrior = 64

    init(workflow: String, router: Router, counter: any TokenCounter, tools: ToolRegistry, history: LearnedHistory) {
        self.workflow = workflow
        self.router = router
        self.counter = counter
        self.tools = tools
        self.history = history
    }

    enum InputSource {
        case known(JSONValue)
        /// A sub-workflow's input: each top-level member's size, from the parent's templates.
        case mapped([String: Plan.InputShape])
    }

    enum ItemSource {
        case none
        case known(JSONValue)
        case unknown
    }

    struct Context {
        var visible: [String: Int] = [:]
        var input: InputSource
        var item: ItemSource = .none
        var prefix = ""
        var jurisdictions: Set<Jurisdiction>?

        func path(_ id: String) -> String { prefix + id }
    }

    // MARK: Walking the graph

    /// Builds a sequence; returns its plan, the slot of its last step, and the ids it exports.
    mutating func sequence(_ nodes: [Node], _ context: Context) throws(PurserError) -> (Plan.Node, Int?, [String: Int]) {
        var context = context
        var children: [Plan.Node] = []
        var last: Int?
        var exports: [String: Int] = [:]
        for node in nodes {
            let (plan, slot, exported) = try self.node(node, context)
            children.append(plan)
            last = slot
            for (id, slot) in exported {
                context.visible[id] = slot
                exports[id] = slot
            }
        }
        return (.sequence(children), last, exports)
    }

    private mutating func node(_ node: Node, _ context: Context) throws(PurserError) -> (Plan.Node, Int?, [String: Int]) {
        switch node {
        case .model(let step):
            let plan = try model(step, context, extraInput: 0, kind: .model)
            return (.model(plan), plan.slot, [step.id: plan.slot])

        case .tool(let step):
            let path = context.path(step.id)
            let window = history.toolResultTokens[LearnedHistory.key(workflow, path)]
            let result = Plan.Distribution(window: window, prior: Self.toolResultPrior, cap: .max)
            let slot = newSlot(expected: result.expected)
            let row = self.row(path, kind: .tool, tierID: nil, confidence: result.confidence)
            let worst = max(window?.maximum ?? 0, Self.toolResultWorst)
            return (.tool(Plan.Tool(row: row, slot: slot, result: result, worstResult: worst)), slot, [step.id: slot])

        case .sequence(let children):
            return try sequence(children, context)

        case .parallel(let branches):
            var plans: [Plan.Node] = []
            var exports: [String: Int] = [:]
            var last: Int?
            for branch in branches {
                let (plan, slot, exported) = try self.node(branch, context)
                plans.append(plan)
                last = slot ?? last
                exports.merge(exported) { _, new in new }
            }
            return (.parallel(plans), last, exports)

        case .forEach(let step):
            return try forEach(step, context)

        case .agentLoop(let loop):
            let path = context.path(loop.id)
            let definitions = loop.tools.compactMap { tools[$0]?.definition }
            let toolTokens = definitions.reduce(0) { $0 + counter.definitionTokens($1) }
            let model = try self.model(loop.modelStep, context, extraInput: toolTokens, kind: .agentLoop)
            let maxIterations = max(loop.maxIterations ?? 1, 1)
            let iterations = Plan.Distribution(
                window: history.loopIterations[LearnedHistory.key(workflow, path)], prior: 1...maxIterations,
                cap: maxIterations)
            let turnWindow = history.toolResultTokens[LearnedHistory.key(workflow, path + "/*tools")]
            let turns = Plan.Distribution(window: turnWindow, prior: Self.toolResultPrior, cap: .max)
            rows[model.row].confidence = min(rows[model.row].confidence, iterations.confidence, turns.confidence)
            let plan = Plan.Loop(
                model: model, toolDefinitionTokens: toolTokens, iterations: iterations, maxIterations: maxIterations,
                toolResult: turns, worstToolResult: max(turnWindow?.maximum ?? 0, Self.toolResultWorst))
            return (.loop(plan), model.slot, [loop.id: model.slot])

        case .branch(let branch):
            let path = context.path(branch.id)
            var probability = 0.5
            var decided = false
            if case .known(let input) = context.input,
                branch.condition.paths.allSatisfy({ $0 == "input" || $0.hasPrefix("input.") }),
                let taken = try? Scope(input: input).evaluate(branch.condition, stepKey: path)
            {
                probability = taken ? 1 : 0
                decided = true
            } else if let window = history.branchesTaken[LearnedHistory.key(workflow, path)], !window.isEmpty {
                probability = (Double(window.values.reduce(0, +)) + 1) / (Double(window.count) + 2)
                shapeConfidence = min(shapeConfidence, window.count >= 20 ? .learned : .learning)
            } else {
                shapeConfidence = .prior
            }
            let (then, thenLast, _) = try sequence(branch.then, context)
            let (otherwise, otherwiseLast, _) = try sequence(branch.otherwise, context)
            let slot = newSlot(
                expected: probability * (thenLast.map { expectedOutput[$0] } ?? 0) + (1 - probability)
                    * (otherwiseLast.map { expectedOutput[$0] } ?? 0))
            let choice = Plan.Choice(
                slot: slot, thenProbability: probability, decided: decided, then: then, otherwise: otherwise,
                thenLastSlot: thenLast, otherwiseLastSlot: otherwiseLast)
            return (.branch(choice), slot, [branch.id: slot])

        case .subworkflow(let sub):
            let path = context.path(sub.id)
            var inner = Context(input: subInput(sub.input, context, path: path))
            inner.prefix = path + "/"
            inner.jurisdictions = StepNeeds.narrow(sub.workflow.jurisdictions, by: context.jurisdictions)
            let (plan, last, _) = try sequence(sub.workflow.steps, inner)
            let slot = newSlot(expected: last.map { expectedOutput[$0] } ?? 0)
            return (.scope(plan, slot: slot, lastSlot: last), slot, [sub.id: slot])
        }
    }

    private mutating func forEach(_ step: ForEach, _ context: Context) throws(PurserError) -> (Plan.Node, Int?, [String: Int]) {
        let path = context.path(step.id)
        let maxCount = max(step.maxCount ?? 1, 1)
        var knownItems: [JSONValue]?
        if let reference = try? Reference(parsing: step.over) {
            switch (reference.root, context.input, context.item) {
            case (.input, .known(let input), _): knownItems = input.value(at: reference.path)?.arrayValue
            case (.item, _, .known(let item)): knownItems = item.value(at: reference.path)?.arrayValue
            default: break
            }
        }
        if let knownItems, knownItems.count > maxCount {
            throw PurserError(
                .fanOutExceeded,
                "for-each over '\(step.over)' has \(knownItems.count) items, more than its declared maxCount \(maxCount)",
                stepKey: path)
        }
        var inner = context
        inner.prefix = path + "/"
        var bodies: [Plan.Node] = []
        var lastSlots: [Int] = []
        let count: Plan.Distribution
        if let knownItems {
            for item in knownItems {
                inner.item = .known(item)
                let (body, last, _) = try sequence(step.body, inner)
                bodies.append(body)
                lastSlots.append(last ?? newSlot(expected: 0))
            }
            count = Plan.Distribution(window: nil, prior: knownItems.count...knownItems.count, cap: knownItems.count)
        } else {
            inner.item = .unknown
            let (body, last, _) = try sequence(step.body, inner)
            bodies.append(body)
            lastSlots.append(last ?? newSlot(expected: 0))
            count = Plan.Distribution(
                window: history.forEachCounts[LearnedHistory.key(workflow, path)], prior: 1...maxCount, cap: maxCount)
            shapeConfidence = min(shapeConfidence, count.confidence)
        }
        let perItem = lastSlots.map { expectedOutput[$0] }.reduce(0, +) / Double(max(lastSlots.count, 1))
        let slot = newSlot(expected: perItem * count.expected)
        let fan = Plan.Fan(
            slot: slot, count: count, bodies: bodies, knownCount: knownItems?.count, maxCount: maxCount,
            lastSlots: lastSlots)
        return (.forEach(fan), slot, [step.id: slot])
    }

    // MARK: Model calls

    private mutating func model(
        _ step: ModelStep, _ context: Context, extraInput: Int, kind: StepKind
    ) throws(PurserError) -> Plan.Model {
        let path = context.path(step.id)
        var input = Plan.InputShape(fixed: extraInput)
        if let system = step.system {
            input.add(shape(of: system, context))
            input.fixed += 4
        }
        input.add(shape(of: step.prompt, context))
        input.fixed += 4

        var needs = step.needs
        needs.jurisdictions = StepNeeds.narrow(step.needs.jurisdictions, by: context.jurisdictions)
        let expectedInput = Int(expectedTokens(of: input).rounded(.up))
        let tier: Tier
        do {
            tier = try router.route(
                RouteRequest(needs: needs, inputTokens: expectedInput, maxOutputTokens: step.maxOutputTokens)
            ).tier
        } catch {
            throw PurserError(.noTierMeetsNeeds, error.description, stepKey: path)
        }
        let key = LearnedHistory.key(workflow, path, tier: tier.id)
        let maxOutput = max(step.maxOutputTokens, 1)
        // A JSON answer is about as long as its schema says; free text gets the general prior.
        let typicalVisible = max(
            step.outputSchema.map { min(answerTokens($0), maxOutput) }
                ?? OutputPrior.visibleTokens(maxOutputTokens: maxOutput), 1)
        let visible = Plan.Distribution(
            window: history.outputTokens[key],
            prior: max(1, typicalVisible / 4)...max(max(1, typicalVisible / 4), min(maxOutput, typicalVisible * 5 / 2)),
            cap: maxOutput)
        let depth = min(step.needs.reasoning, tier.reasoningDepth)
        let typicalReasoning = OutputPrior.reasoningTokens(depth: depth, maxOutputTokens: maxOutput)
        let reasoning = Plan.Distribution(
            window: depth == .none ? nil : history.reasoningTokens[key],
            prior: (typicalReasoning / 2)...(typicalReasoning * 3 / 2), cap: depth == .none ? 0 : maxOutput)
        let slot = newSlot(expected: visible.expected)
        if let schema = step.outputSchema { schemas[slot] = schema }
        let confidence = depth == .none ? visible.confidence : min(visible.confidence, reasoning.confidence)
        let row = self.row(path, kind: kind, tierID: tier.id, confidence: confidence)
        if let visibleP95 = visible.observedP95() {
            let reasoningP95 = depth == .none ? 0 : reasoning.observedP95()
            rows[row].outputP95PerCall = reasoningP95.map { min(visibleP95 + $0, maxOutput) }
        }
        return Plan.Model(
            row: row, slot: slot, input: input, pricing: tier.pricing, maxOutputTokens: maxOutput, visible: visible,
            reasoning: reasoning)
    }

    private func expectedTokens(of shape: Plan.InputShape) -> Double {
        Double(shape.fixed) + shape.refs.reduce(0) { $0 + expectedOutput[$1] }
            + shape.partials.reduce(0) { $0 + min(Double($1.expected), expectedOutput[$1.slot]) }
    }

    // MARK: Templates

    /// What a template costs once rendered: its text, the values it inserts, and the earlier
    /// outputs it quotes.
    func shape(of template: Template, _ context: Context) -> Plan.InputShape {
        var shape = Plan.InputShape()
        for segment in template.segments {
            switch segment {
            case .text(let text):
                shape.fixed += counter.count(text)
            case .reference(let reference):
                shape.add(self.shape(of: reference, context))
            }
        }
        return shape
    }

    private func shape(of reference: Reference, _ context: Context) -> Plan.InputShape {
        switch reference.root {
        case .input:
            switch context.input {
            case .known(let input):
                return Plan.InputShape(fixed: input.value(at: reference.path).map { counter.count($0.templateText) } ?? 0)
            case .mapped(let members):
                if let first = reference.path.first, let member = members[String(first)] { return member }
                return Plan.InputShape(fixed: Self.unknownItemPrior)
            }
        case .item:
            if case .known(let item) = context.item {
                return Plan.InputShape(fixed: item.value(at: reference.path).map { counter.count($0.templateText) } ?? 0)
            }
            return Plan.InputShape(fixed: Self.unknownItemPrior)
        case .index:
            return Plan.InputShape(fixed: 1)
        case .step(let id):
            guard let slot = context.visible[id] else { return Plan.InputShape() }
            if reference.path.isEmpty { return Plan.InputShape(refs: [slot]) }
            guard let schema = schemas[slot] else { return Plan.InputShape(refs: [slot]) }
            return Plan.InputShape(partials: [(slot, memberTokens(schema, reference.path))])
        }
    }

    /// The expected size of one member of a JSON answer, from its schema.
    private func memberTokens(_ schema: JSONSchema, _ path: [Substring]) -> Int {
        var current: JSONSchema? = schema
        for component in path {
            if let property = current?.properties[String(component)] {
                current = property
            } else {
                current = current?.items
            }
        }
        guard let current else { return 32 }
        if let values = current.enumValues, !values.isEmpty {
            return values.map { counter.count($0.templateText) }.max() ?? 1
        }
        switch current.type {
        case .string?: return min(max((current.maxLength ?? 128) / 4, 1), 64)
        case .number?, .integer?: return 3
        case .boolean?, .null?: return 1
        default: return 64
        }
    }

    /// The expected size of a whole JSON answer conforming to `schema`.
    private func answerTokens(_ schema: JSONSchema) -> Int {
        switch schema.type {
        case .object?:
            var total = 2
            for (name, property) in schema.properties { total += counter.count(name) + 2 + answerTokens(property) }
            return total
        case .array?:
            let items = schema.items.map(answerTokens) ?? 8
            let count = ((schema.minItems ?? 1) + (schema.maxItems ?? 5)) / 2
            return 2 + max(count, 1) * (items + 1)
        default:
            return memberTokens(schema, [])
        }
    }

    private func subInput(_ input: ValueTemplate, _ context: Context, path: String) -> InputSource {
        if case .known(let known) = context.input, case .none = context.item {
            let references = input.templates.flatMap(\.references)
            if references.allSatisfy({ $0.root == .input }),
                let rendered = try? Scope(input: known).render(input, stepKey: path)
            {
                return .known(rendered)
            }
        }
        guard case .object(let members) = input else { return .mapped([:]) }
        var shapes: [String: Plan.InputShape] = [:]
        for (name, member) in members {
            switch member {
            case .template(let template): shapes[name] = shape(of: template, context)
            case .literal(let value): shapes[name] = Plan.InputShape(fixed: counter.count(value.templateText))
            default: shapes[name] = Plan.InputShape(fixed: counter.count(member.source.compactJSON))
            }
        }
        return .mapped(shapes)
    }

    // MARK: Slots and rows

    private mutating func newSlot(expected: Double) -> Int {
        expectedOutput.append(expected)
        slotCount += 1
        return slotCount - 1
    }

    private mutating func row(_ path: String, kind: StepKind, tierID: String?, confidence: EstimateConfidence) -> Int {
        if let existing = rowIndex[path] {
            rows[existing].confidence = min(rows[existing].confidence, confidence)
            return existing
        }
        rows.append(Plan.Row(path: path, kind: kind, tierID: tierID, confidence: confidence))
        rowIndex[path] = rows.count - 1
        return rows.count - 1
    }
}
