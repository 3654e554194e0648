import Purser
import PurserTestKit
import Testing
import Workflows

@Suite("Example workflows")
struct ExampleWorkflowsTests {
    let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: ExampleWorkflows.tools())

    @Test(arguments: ExampleWorkflows.all.map(\.name))
    func compilesAndRunsItsExampleInput(name: String) async throws {
        let workflow = try #require(ExampleWorkflows.named(name))
        if let schema = workflow.inputSchema {
            #expect(schema.violations(of: workflow.exampleInput).isEmpty)
        }
        let result = try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        #expect(result.output != nil)
        #expect(result.totals.cost > .zero)
        #expect(result.records.allSatisfy { $0.status == .succeeded })
    }

    @Test func togetherTheyUseEveryConstruct() {
        var kinds: Set<StepKind> = []
        func visit(_ nodes: [Node]) {
            for node in nodes {
                kinds.insert(node.kind)
                switch node {
                case .sequence(let children), .parallel(let children): visit(children)
                case .forEach(let step): visit(step.body)
                case .branch(let branch): visit(branch.then + branch.otherwise)
                case .subworkflow(let sub): visit(sub.workflow.steps)
                default: break
                }
            }
        }
        for workflow in ExampleWorkflows.all { visit(workflow.steps) }
        #expect(kinds == [.model, .tool, .sequence, .parallel, .forEach, .agentLoop, .branch, .subworkflow])
    }

    @Test func supportTriageStaysOnInteractiveTiers() async throws {
        let workflow = ExampleWorkflows.supportTriage
        let result = try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
        let models = result.records.filter { $0.tierID != nil }
        #expect(!models.isEmpty)
        for record in models {
            let decision = try #require(record.decision)
            #expect(decision.predictedP95Seconds <= 2, "\(record.key) on \(decision.tierID)")
        }
        #expect(Set(result.records.compactMap(\.tool)) == ["search_files", "current_time"])
    }

    @Test func urgentTicketsAreEscalated() async throws {
        // Find an input the simulator classifies as urgent, then check the branch ran.
        var escalated = false
        for attempt in 0..<40 where !escalated {
            let input: JSONValue = ["ticket": ["subject": .string("Outage \(attempt)"), "body": .string("Everything is down for us, attempt \(attempt).")]]
            let result = try await engine.run(try engine.compile(ExampleWorkflows.supportTriage), input: input)
            let urgent = result.outputs["classify"]?["urgency"] == "urgent"
            #expect(result.records.contains { $0.key == "handoff" } == urgent)
            escalated = urgent
        }
        #expect(escalated)
    }

    @Test func contractReviewFansOutToACheapBatchTier() async throws {
        let workflow = ExampleWorkflows.contractReview
        let result = try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
        let clauses = workflow.exampleInput["contract"]?["clauses"]?.arrayValue?.count ?? 0
        let assessments = result.records.filter { $0.stepID == "assess" }
        #expect(assessments.count == clauses)
        #expect(Set(assessments.compactMap(\.tierID)) == ["sim-small-eu-batch"])
        #expect(result.outputs["clauses"]?.arrayValue?.count == clauses)
        #expect(result.outputs["clauses"]?.arrayValue?.allSatisfy { $0["risk"] != nil } == true)
    }

    @Test func researchAgentLoopsOverToolsAndBriefsThroughASubworkflow() async throws {
        let workflow = ExampleWorkflows.researchAgent
        let result = try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
        let iterations = result.records.filter { $0.stepID == "research" && $0.kind == .model }
        let toolCalls = result.records.filter { $0.key.hasPrefix("research#") && $0.kind == .tool }
        #expect(iterations.count >= 2)
        #expect(toolCalls.count >= 1)
        #expect(result.records.last?.key == "brief/brief")
    }

    @Test func theKnowledgeBaseShipsWithThePackageAndIsSearched() async throws {
        #expect(ExampleWorkflows.knowledgeBase != nil)
        let search = try #require(ExampleWorkflows.tools().first { $0.name == "search_files" })
        let found = try await search.validatedInvoke(["query": "duplicate charges refunded"])
        let paths = found["matches"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(paths.first == "refund-policy.md")
    }
}
