import Purser
import Testing

@Suite("Workflow DSL")
struct DSLTests {
    /// Drives the `if`/`else` in the builder below; either arm defines the step "maybe".
    static let detailed = false

    static let sub = Workflow("summarise") {
        ModelStep("summary", prompt: "Summarise {{input.text}}")
    }

    static let everything = Workflow(
        "everything", description: "uses every construct", exampleInput: ["items": ["a", "b"], "q": "why"],
        jurisdictions: [.us, .eu]
    ) {
        ModelStep("classify", system: "You classify.", prompt: "Classify {{input.q}}")
            .needs(latency: .interactive, reasoning: .low, jurisdictions: [.eu])
            .maxOutputTokens(100)
            .output(.object(["label": .string(oneOf: ["x", "y"])]))
            .timeout(.seconds(5))
            .retry(.none)
        Parallel {
            ToolStep("lookup", tool: "echo", arguments: ["text": "{{steps.classify.label}}", "n": 3])
            Sequential {
                ModelStep("a", prompt: "A")
                ModelStep("b", prompt: "B after {{steps.a}}")
            }
        }
        ForEach("each", over: "input.items", maxCount: 10, maxConcurrency: 2) {
            ModelStep("per-item", prompt: "Item {{index}}: {{item}}")
        }
        AgentLoop("agent", prompt: "Research {{input.q}}", tools: ["echo"], maxIterations: 3)
            .needs(latency: .standard, reasoning: .medium)
        Branch("route", if: .equals("steps.classify.label", "x")) {
            ModelStep("x-path", prompt: "X")
        } otherwise: {
            ModelStep("y-path", prompt: "Y")
        }
        Subworkflow("sub", workflow: sub, input: ["text": "{{steps.agent}}"])
        if DSLTests.detailed {
            ModelStep("maybe", prompt: "sometimes")
        } else {
            ModelStep("maybe", prompt: "other times")
        }
        for index in 0..<2 {
            ModelStep("generated-\(index)", prompt: "loop-built step \(index)")
        }
    }

    @Test func buildsAnInspectableGraphOfEveryConstruct() throws {
        let workflow = Self.everything
        #expect(workflow.steps.map(\.kind) == [
            .model, .parallel, .forEach, .agentLoop, .branch, .subworkflow, .model, .model, .model,
        ])
        let graph = try WorkflowGraph(compiling: workflow)
        #expect(graph.steps.map(\.id) == [
            "classify", "lookup", "a", "b", "each", "per-item", "agent", "route", "x-path", "y-path", "sub", "maybe",
            "generated-0", "generated-1",
        ])
        let classify = try #require(graph.steps.first { $0.id == "classify" })
        #expect(classify.needs?.latency == .interactive)
        #expect(classify.needs?.reasoning == .low)
        #expect(classify.needs?.capabilities == [.json])
        #expect(classify.maxOutputTokens == 100)
        #expect(graph.steps.first { $0.id == "b" }?.dependsOn == ["a"])
        #expect(graph.steps.first { $0.id == "lookup" }?.dependsOn == ["classify"])
        #expect(graph.steps.first { $0.id == "per-item" }?.parent == "each")
        #expect(graph.steps.first { $0.id == "each" }?.maxCount == 10)
        #expect(graph.steps.first { $0.id == "agent" }?.maxIterations == 3)
        #expect(graph.steps.first { $0.id == "agent" }?.needs?.capabilities == [.tools])
        #expect(graph.subgraphs["sub"]?.steps.map(\.id) == ["summary"])
        // 1 + (1 + 2) + 10 + 3 × (1 + 1) + 1 + 1 + 1 + 2 = 25 calls at most.
        #expect(graph.maxCallCount == 25)
    }

    @Test func graphsAreCodableValues() throws {
        let graph = try WorkflowGraph(compiling: Self.everything)
        let data = try JSONEncoderForTests.encode(graph.workflow)
        let decoded = try JSONDecoderForTests.decode(Workflow.self, from: data)
        #expect(decoded == graph.workflow)
    }

    @Test func templatesKeepTheirSourceAndReferences() {
        let template = Template("Hi {{ input.user.name }}, re {{steps.ticket.subject}} #{{index}}")
        #expect(template.references.map(\.description) == ["input.user.name", "steps.ticket.subject", "index"])
        #expect(template.source == "Hi {{ input.user.name }}, re {{steps.ticket.subject}} #{{index}}")
    }
}

import Foundation

enum JSONDecoderForTests {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
