import Foundation
import PurserTestKit
import Testing

@testable import Purser

@Suite("Estimator")
struct EstimatorTests {
    let tier = Tier.scripted()  // $1/M in, $2/M out, depth high
    var estimator: Estimator { Estimator(router: Router(tiers: [tier])) }

    func estimate(_ workflow: Workflow, _ input: JSONValue = [:], history: LearnedHistory = LearnedHistory()) throws -> RunEstimate {
        try estimator.estimate(try WorkflowGraph(compiling: workflow), input: input, history: history)
    }

    func step(_ estimate: RunEstimate, _ path: String) throws -> StepEstimate {
        try #require(estimate.steps.first { $0.path == path })
    }

    @Test func estimatedOutputsFlowIntoLaterInputs() throws {
        let workflow = Workflow("flow") {
            ModelStep("draft", prompt: "Write about {{input.topic}}").maxOutputTokens(100)
            ModelStep("edit", prompt: "Edit: {{steps.draft}}").maxOutputTokens(50)
        }
        let input: JSONValue = ["topic": "budgets"]
        let counter = ApproximateTokenCounter()
        let fixedEdit = counter.count("Edit: ") + 4
        let fresh = try estimate(workflow, input)
        let draft = try step(fresh, "draft")
        let edit = try step(fresh, "edit")
        #expect(draft.inputTokens.worst == counter.count("Write about ") + counter.count("budgets") + 4)
        #expect(draft.calls.worst == 1 && draft.calls.p50 == 1)
        // The edit's input is its own text plus the draft's answer: at most the draft's bound.
        #expect(edit.inputTokens.worst == fixedEdit + 100)
        #expect(edit.inputTokens.expected > fixedEdit)
        #expect(edit.inputTokens.expected <= fixedEdit + 100)
        #expect(fresh.confidence == .prior)

        // History says drafts are short: the edit's expected input shrinks with it.
        var history = LearnedHistory()
        for _ in 0..<30 { history.outputTokens[LearnedHistory.key("flow", "draft", tier: tier.id), default: ObservationWindow()].add(10) }
        let learned = try estimate(workflow, input, history: history)
        #expect(try step(learned, "edit").inputTokens.expected < edit.inputTokens.expected)
        #expect(try step(learned, "edit").inputTokens.p50 == fixedEdit + 10)
        #expect(try step(learned, "draft").confidence == .learned)
        #expect(try step(learned, "edit").confidence == .prior)
    }

    @Test func aStepsPerCallP95OutputIsReportedOnceHistoryHasEightCalls() throws {
        let workflow = Workflow("p95") { ModelStep("draft", prompt: "Write").maxOutputTokens(500) }
        #expect(try step(try estimate(workflow), "draft").outputTokensPerCallP95 == nil)
        var history = LearnedHistory()
        let key = LearnedHistory.key("p95", "draft", tier: tier.id)
        for value in [10, 20, 30, 40, 50, 60, 70] { history.outputTokens[key, default: ObservationWindow()].add(value) }
        #expect(try step(try estimate(workflow, history: history), "draft").outputTokensPerCallP95 == nil)
        history.outputTokens[key, default: ObservationWindow()].add(400)
        // The tier reasons, but the step needs no depth: visible output only.
        #expect(try step(try estimate(workflow, history: history), "draft").outputTokensPerCallP95 == 400)
    }

    @Test func membersOfJSONAnswersAreSizedFromTheirSchema() throws {
        let workflow = Workflow("json") {
            ModelStep("classify", prompt: "x").maxOutputTokens(300)
                .output(.object(["label": .string(oneOf: ["billing", "bug"]), "summary": .string()]))
            ModelStep("use", prompt: "{{steps.classify.label}}").maxOutputTokens(10)
        }
        let use = try step(try estimate(workflow), "use")
        // "billing" is 2 tokens by the approximate counter, plus 4 for the message.
        #expect(use.inputTokens.p50 == 2 + 4)
        // The worst case still allows the whole answer to be quoted.
        #expect(use.inputTokens.worst == 300 + 4)
    }

    @Test func forEachCountsAreExactWhenTheInputHasTheList() throws {
        let workflow = Workflow("fan") {
            ForEach("each", over: "input.items", maxCount: 10) {
                ModelStep("item", prompt: "{{item}}").maxOutputTokens(20)
            }
        }
        let known = try estimate(workflow, ["items": ["a", "bb", "ccc"]])
        let item = try step(known, "each/item")
        #expect(item.calls == EstimateStats(expected: 3, p50: 3, p95: 3, worst: 3))
        #expect(item.inputTokens.worst == 3 * 4 + 1 + 1 + 1)

        let tooMany = #expect(throws: PurserError.self) {
            try estimate(workflow, ["items": .array((0..<11).map { .number(Double($0)) })])
        }
        #expect(tooMany?.code == .fanOutExceeded)
    }

    @Test func forEachCountsFromEarlierStepsUseHistoryCappedByTheirMaximum() throws {
        let workflow = Workflow("plan") {
            ModelStep("plan", prompt: "plan").output(.object(["tasks": .array(of: .string())]))
            ForEach("do", over: "steps.plan.tasks", maxCount: 8) {
                ModelStep("task", prompt: "Do {{item}}").maxOutputTokens(50)
            }
        }
        let fresh = try step(try estimate(workflow), "do/task")
        #expect(fresh.calls.worst == 8)
        #expect(fresh.calls.p50 >= 1 && fresh.calls.p50 <= 8)

        var history = LearnedHistory()
        for _ in 0..<200 { history.forEachCounts[LearnedHistory.key("plan", "do"), default: ObservationWindow()].add(2) }
        let learned = try step(try estimate(workflow, history: history), "do/task")
        #expect(learned.calls.p50 == 2)
        #expect(learned.calls.worst == 8)
    }

    @Test func loopsAreBoundedByTheirMaximumAndLearnTheirLength() throws {
        let tool = RecordingTool(name: "look")
        let workflow = Workflow("loop") {
            AgentLoop("agent", prompt: "go", tools: ["look"], maxIterations: 5).maxOutputTokens(100)
        }
        let estimator = Estimator(router: Router(tiers: [tier]), tools: ToolRegistry([tool]))
        let graph = try WorkflowGraph(compiling: workflow)
        let fresh = try estimator.estimate(graph, input: [:])
        let agent = try step(fresh, "agent")
        #expect(agent.kind == .agentLoop)
        #expect(agent.calls.worst == 5)
        #expect(agent.outputTokens.worst == 500)

        var history = LearnedHistory()
        for _ in 0..<100 { history.loopIterations[LearnedHistory.key("loop", "agent"), default: ObservationWindow()].add(2) }
        let learned = try step(try estimator.estimate(graph, input: [:], history: history), "agent")
        #expect(learned.calls.p50 == 2)
        #expect(learned.calls.worst == 5)
    }

    @Test func branchesDecidedByTheInputAreExactAndOthersTakeTheDearerArmAtWorst() throws {
        let workflow = Workflow("branch") {
            ModelStep("classify", prompt: "x").output(.object(["urgent": .boolean()]))
            Branch("by-input", if: .equals("input.tier", "gold")) {
                ModelStep("gold", prompt: "g").maxOutputTokens(1000)
            } otherwise: {
                ModelStep("basic", prompt: "b").maxOutputTokens(10)
            }
            Branch("by-output", if: .equals("steps.classify.urgent", true)) {
                ModelStep("page", prompt: "p").maxOutputTokens(2000)
            } otherwise: {
                ModelStep("queue", prompt: "q").maxOutputTokens(20)
            }
        }
        let gold = try estimate(workflow, ["tier": "gold"])
        #expect(try step(gold, "gold").calls.worst == 1)
        #expect(try step(gold, "basic").calls.worst == 0)
        // Undecided: sometimes one arm, sometimes the other. Each step's worst case bounds that
        // step; the run's worst case takes the dearer arm (paging: 2,000 output tokens).
        #expect(try step(gold, "page").calls.worst == 1)
        #expect(try step(gold, "queue").calls.worst == 1)
        #expect(try step(gold, "page").calls.p95 == 1)
        let onlyDecided = try estimate(workflow, ["tier": "basic"])
        #expect(gold.cost.worst > onlyDecided.cost.worst)
        #expect(gold.outputTokens.worst == 1024 + 1000 + 2000)

        var history = LearnedHistory()
        for _ in 0..<100 { history.branchesTaken[LearnedHistory.key("branch", "by-output"), default: ObservationWindow()].add(0) }
        let learned = try estimate(workflow, ["tier": "gold"], history: history)
        #expect(try step(learned, "page").calls.p95 == 0)
        #expect(try step(learned, "queue").calls.p50 == 1)
    }

    @Test func theSameSeedGivesTheSameEstimate() throws {
        let workflow = Workflow("seeded") {
            ModelStep("a", prompt: "x").needs(reasoning: .medium).maxOutputTokens(2000)
            ModelStep("b", prompt: "{{steps.a}}")
        }
        let graph = try WorkflowGraph(compiling: workflow)
        let one = try Estimator(router: Router(tiers: [tier]), seed: 7).estimate(graph, input: [:])
        let two = try Estimator(router: Router(tiers: [tier]), seed: 7).estimate(graph, input: [:])
        let other = try Estimator(router: Router(tiers: [tier]), seed: 8).estimate(graph, input: [:])
        #expect(one == two)
        #expect(one.cost.p50 != other.cost.p50 || one.cost.expected != other.cost.expected)
        #expect(one.cost.expected <= one.cost.worst && one.cost.p50 <= one.cost.p95 && one.cost.p95 <= one.cost.worst)
    }

    /// One-step shortcuts (a one-call plan drawn without walking it, a one-row plan's totals
    /// reused from its row) must give exactly the general path's estimate: from the prior
    /// alone, and with history, whose draws take two random numbers instead of one.
    @Test func aOneStepPlansShortcutsGiveTheGeneralPathsEstimate() throws {
        let workflows = [
            Workflow("one") { ModelStep("a", prompt: "Say {{input.x}}").needs(reasoning: .medium).maxOutputTokens(900) },
            Workflow("each") {
                ForEach("items", over: "input.items", maxCount: 20) { ModelStep("a", prompt: "Rate {{item}}") }
            },
        ]
        let input: JSONValue = ["x": "hello", "items": ["a", "bb", "ccc"]]
        var learned = LearnedHistory()
        for value in [12, 40, 75, 310, 88, 5, 640, 52] {
            learned.outputTokens[LearnedHistory.key("one", "a", tier: tier.id), default: ObservationWindow()].add(value)
            learned.reasoningTokens[LearnedHistory.key("one", "a", tier: tier.id), default: ObservationWindow()].add(value * 2)
        }
        for workflow in workflows {
            for history in [LearnedHistory(), learned] {
                let graph = try WorkflowGraph(compiling: workflow)
                var general = Estimator(router: Router(tiers: [tier]), seed: 11)
                general.takesOneStepShortcuts = false
                let walked = try general.estimate(graph, input: input, history: history)
                let shortcut = try Estimator(router: Router(tiers: [tier]), seed: 11).estimate(
                    graph, input: input, history: history)
                #expect(walked.steps.count == 1)
                #expect(shortcut == walked)
            }
        }
        // The history was read: it moved the one-call estimate.
        let graph = try WorkflowGraph(compiling: workflows[0])
        let estimator = Estimator(router: Router(tiers: [tier]), seed: 11)
        #expect(
            try estimator.estimate(graph, input: input, history: learned)
                != estimator.estimate(graph, input: input, history: LearnedHistory()))
    }

    @Test func estimatesUseTheTierTheRouterWouldChoose() throws {
        let estimator = Estimator(router: Router(tiers: SimulatorCatalog.tiers))
        let workflow = Workflow("routes") {
            ModelStep("fast", prompt: "x").needs(latency: .interactive)
            ModelStep("deep", prompt: "x").needs(reasoning: .high)
            ModelStep("uk", prompt: "x").needs(reasoning: .low, jurisdictions: [.uk])
        }
        let estimate = try estimator.estimate(try WorkflowGraph(compiling: workflow), input: [:])
        #expect(estimate.steps.map(\.tierID) == ["sim-nano", "sim-frontier", "sim-large-uk"])
        #expect(estimate.reasoningTokens.expected > 0)
    }

    @Test func theWorstCaseIsATrueUpperBound() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("bounded") {
            ModelStep("plan", prompt: "Plan {{input.goal}}").needs(reasoning: .medium).maxOutputTokens(1500)
                .output(.object(["steps": .array(of: .string(), maxItems: 6)]))
            ForEach("work", over: "steps.plan.steps", maxCount: 6, maxConcurrency: 3) {
                ModelStep("do", prompt: "Do {{item}} for {{input.goal}}").maxOutputTokens(300)
            }
            Branch("check", if: .greaterThan("input.size", 5)) {
                ModelStep("review", prompt: "Review {{steps.work}}").needs(latency: .batch, reasoning: .high).maxOutputTokens(4000)
            }
            ModelStep("answer", prompt: "Answer from {{steps.work}} and {{steps.check}}").maxOutputTokens(500)
        }
        let graph = try engine.compile(workflow)
        for size in 0..<12 {
            let input: JSONValue = ["goal": .string("goal number \(size) " + String(repeating: "detail ", count: size * 20)), "size": .number(Double(size))]
            let estimate = try await engine.estimate(graph, input: input)
            let result = try await engine.run(graph, input: input, options: RunOptions(estimate: false))
            #expect(result.status == .succeeded)
            #expect(result.totals.cost <= estimate.cost.worst)
            #expect(result.totals.usage.inputTokens <= estimate.inputTokens.worst)
            #expect(result.totals.usage.outputTokens <= estimate.outputTokens.worst)
        }
    }

    @Test func learningFromRunsChangesEstimates() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("learns") {
            ModelStep("a", prompt: "Say something about {{input.x}}").maxOutputTokens(2000)
        }
        let graph = try engine.compile(workflow)
        let before = try await engine.estimate(graph, input: ["x": "y"])
        for index in 0..<25 { _ = try await engine.run(graph, input: ["x": .string("topic \(index)")]) }
        let after = try await engine.estimate(graph, input: ["x": "y"])
        #expect(before.confidence == .prior)
        #expect(after.confidence == .learned)
        // The prior expects ~400 tokens from a 2,000-token bound; the simulator says far fewer.
        #expect(after.outputTokens.expected < before.outputTokens.expected)
    }
}
