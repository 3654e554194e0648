import Purser
import PurserTools
import Testing
import Workflows

/// The README's DSL example, verbatim, so the README stays true.
@Suite("README example")
struct ReadmeExampleTests {
    static let triage = Workflow(
        "support-triage",
        description: "Classify a ticket, look things up in parallel, draft a reply.",
        exampleInput: ["ticket": ["subject": "Charged twice", "body": "Please refund the duplicate."]],
        inputSchema: .object(["ticket": .object(["subject": .string(), "body": .string()])])
    ) {
        ModelStep("classify", system: "You triage tickets. Answer with JSON.", prompt: "{{input.ticket.body}}")
            .needs(latency: .interactive)
            .maxOutputTokens(200)
            .output(.object([
                "category": .string(oneOf: ["billing", "bug", "other"]),
                "urgency": .string(oneOf: ["low", "urgent"]),
            ]))

        Parallel {
            ToolStep("policy", tool: "search_files", arguments: ["query": "{{steps.classify.category}} policy"])
            ToolStep("received", tool: "current_time", arguments: ["timezone": "Europe/London"])
        }

        Branch("escalation", if: .equals("steps.classify.urgency", "urgent")) {
            ModelStep("handoff", prompt: "Write a handoff note: {{input.ticket.body}}").needs(latency: .interactive)
        }

        ModelStep("reply", prompt: "Policy: {{steps.policy.matches}}\nDraft a reply to: {{input.ticket.body}}")
            .needs(latency: .interactive)
            .maxOutputTokens(350)
    }

    @Test func theReadmeWorkflowCompilesAndRuns() async throws {
        let engine = Engine(
            tiers: SimulatorCatalog.tiers, providers: [SimulatedProvider(speed: .instant)],
            tools: BuiltinTools.all(searchRoot: ExampleWorkflows.knowledgeBase, httpAllowList: ["api.example.com"]))
        let graph = try engine.compile(Self.triage)
        let handle = try await engine.start(
            graph, input: Self.triage.exampleInput, options: RunOptions(tags: ["team": "support"], maxConcurrency: 8))
        var events = 0
        for await _ in handle.events { events += 1 }
        let result = await handle.result()
        #expect(result.status == .succeeded)
        #expect(events > 0)
    }
}
