import Purser
import PurserTools
import Testing
import Workflows

/// The documentation's workflows, verbatim, so the docs stay true: the DSL reference's
/// example (docs/dsl.md) and the README tour's first workflow.
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

    /// The ten-minute tour's step 1, as the README shows it.
    static let meetingNotes = Workflow(
        "meeting-notes",
        description: "List the action items in meeting notes, then summarise them.",
        exampleInput: ["notes": "Ana sends the Q3 figures by Friday. Ben books the venue for the offsite."],
        inputSchema: .object(["notes": .string("The notes, as written", maxLength: 20_000)])
    ) {
        ModelStep("actions", system: "Answer with JSON only.", prompt: "List the action items in: {{input.notes}}")
            .maxOutputTokens(300)
            .output(.object(["items": .array(of: .string("One action and its owner"))]))

        ModelStep("summary", prompt: "Summarise in two sentences: {{input.notes}}\nAction items: {{steps.actions.items}}")
            .needs(latency: .interactive)
            .maxOutputTokens(150)
    }

    @Test func theTourWorkflowCompilesAndRunsAsTheReadmeSays() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let result = try await engine.run(try engine.compile(Self.meetingNotes), input: Self.meetingNotes.exampleInput)
        #expect(result.status == .succeeded)
        #expect(result.records.map(\.key) == ["actions", "summary"])
        #expect(result.outputs["actions"]?["items"]?.arrayValue != nil)
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
