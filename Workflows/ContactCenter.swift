import Purser

extension ExampleWorkflows {
    /// A customer is on the line: every step must answer within interactive latency, so the
    /// router keeps to the fast tiers. An agent loop checks policy and does the arithmetic
    /// with tools before it answers; a last check reads the answer against policy, because an
    /// agent that promises what policy does not allow costs more than the call.
    public static let contactCenter = Workflow(
        "contact-center",
        description: "A live contact-center call: intent, an agent loop over policy search and a calculator, a policy check (interactive latency, fast tiers).",
        exampleInput: [
            "customer": "acme-ltd",
            "plan": "Business",
            "utterance": "We were charged twice for our annual plan, 40 seats. How much will you refund, and when will we see it?",
        ],
        inputSchema: .object(
            [
                "customer": .string("Customer account id"),
                "plan": .string("The customer's plan"),
                "utterance": .string("What the customer just said", maxLength: 4000),
            ], required: ["utterance"])
    ) {
        ModelStep(
            "intent",
            system: "You route contact-center calls. Answer with JSON only.",
            prompt: "Caller on the {{input.plan}} plan said: {{input.utterance}}"
        )
        .needs(latency: .interactive)
        .maxOutputTokens(120)
        .output(
            .object([
                "intent": .string(oneOf: ["refund", "billing", "outage", "account", "other"]),
                "summary": .string("One sentence", maxLength: 300),
            ]))

        AgentLoop(
            "agent",
            system: """
                You are a contact-center agent on a live call. Check the policy with search_files and \
                work out amounts with calculator before you answer. Answer in at most three sentences.
                """,
            prompt: "Customer {{input.customer}} ({{input.plan}} plan), intent {{steps.intent.intent}}: {{input.utterance}}",
            tools: ["search_files", "calculator", "current_time"],
            maxIterations: 4
        )
        .needs(latency: .interactive)
        .maxOutputTokens(200)

        ModelStep(
            "policy-check",
            system: "You check what agents tell customers against policy. Answer with JSON only.",
            prompt: "Agent's answer: {{steps.agent}}\nDoes it promise anything the refund policy does not allow?"
        )
        .needs(latency: .interactive)
        .maxOutputTokens(100)
        .output(.object(["compliant": .boolean(), "issue": .string(maxLength: 300)]))
    }
}
