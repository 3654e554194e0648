import Purser

extension ExampleWorkflows {
    /// An agent that searches the knowledge base, does arithmetic and checks the date until
    /// it can answer, then hands its findings to a sub-workflow for an executive brief.
    public static let researchAgent = Workflow(
        "research-agent",
        description: "Answer a question with an agent loop over tools (search, calculator, clock), then brief it via a sub-workflow.",
        exampleInput: ["question": "What would 40 Business users cost per year with annual billing, and what uptime do we commit to?"],
        inputSchema: .object(["question": .string(maxLength: 4000)])
    ) {
        AgentLoop(
            "research",
            system: "You research questions using the tools. Cite the documents you used.",
            prompt: "{{input.question}}",
            tools: ["search_files", "calculator", "current_time"],
            maxIterations: 6
        )
        .needs(latency: .standard, reasoning: .medium)
        .maxOutputTokens(1200)

        Subworkflow("brief", workflow: executiveBrief, input: ["findings": "{{steps.research}}", "audience": "leadership"])
    }

    /// Turns findings into a short brief; used on its own or as a sub-workflow.
    public static let executiveBrief = Workflow(
        "executive-brief",
        description: "Turn findings into a five-line brief for an audience.",
        exampleInput: ["findings": "Annual billing saves 15%; Business has a 99.9% uptime commitment.", "audience": "leadership"],
        inputSchema: .object(["findings": .string(), "audience": .string()])
    ) {
        ModelStep("brief", prompt: "Write a five-line brief for {{input.audience}} from these findings:\n{{input.findings}}")
            .needs(latency: .interactive)
            .maxOutputTokens(300)
    }
}
