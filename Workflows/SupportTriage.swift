import Purser

extension ExampleWorkflows {
    /// A customer is waiting: classify the ticket, look up policy and context in parallel,
    /// escalate if urgent, and draft a reply — all at interactive latency, so every model
    /// step routes to a fast tier.
    public static let supportTriage = Workflow(
        "support-triage",
        description: "Classify a support ticket, look up policy in parallel, escalate if urgent, draft a reply.",
        exampleInput: [
            "ticket": [
                "subject": "Charged twice for my annual plan",
                "body": "Hi, I was charged twice this morning for the Business annual plan. Please refund the duplicate charge.",
                "customer": "acme-ltd",
            ]
        ],
        inputSchema: .object(
            [
                "ticket": .object(
                    [
                        "subject": .string("One-line subject", maxLength: 300),
                        "body": .string("The customer's message", maxLength: 20_000),
                        "customer": .string("Customer account id"),
                    ], required: ["subject", "body"])
            ])
    ) {
        ModelStep(
            "classify",
            system: "You triage customer support tickets for a SaaS company. Answer with JSON only.",
            prompt: "Subject: {{input.ticket.subject}}\n\n{{input.ticket.body}}"
        )
        .needs(latency: .interactive)
        .maxOutputTokens(200)
        .output(
            .object([
                "category": .string(oneOf: ["billing", "bug", "account", "other"]),
                "urgency": .string(oneOf: ["low", "normal", "urgent"]),
                "summary": .string("One sentence", maxLength: 300),
            ]))

        Parallel {
            Sequential {
                ToolStep("policy", tool: "search_files", arguments: ["query": "{{steps.classify.category}} refund charge policy", "limit": 3])
                ModelStep(
                    "policy-notes",
                    prompt: "List the policy points that apply to: {{steps.classify.summary}}\nPolicy excerpts: {{steps.policy.matches}}"
                )
                .needs(latency: .interactive)
                .maxOutputTokens(250)
            }
            ToolStep("received", tool: "current_time", arguments: ["timezone": "Europe/London"])
            ModelStep("sentiment", prompt: "How does the customer feel? {{input.ticket.body}}")
                .needs(latency: .interactive)
                .maxOutputTokens(60)
                .output(.object(["sentiment": .string(oneOf: ["calm", "frustrated", "angry"])]))
        }

        Branch("escalation", if: .equals("steps.classify.urgency", "urgent")) {
            ModelStep("handoff", prompt: "Write a two-line handoff for the on-call lead: {{steps.classify.summary}}")
                .needs(latency: .interactive)
                .maxOutputTokens(120)
        }

        ModelStep(
            "reply",
            system: "You write short, warm, accurate replies to customers. Never promise what policy does not allow.",
            prompt: """
                Ticket ({{steps.classify.category}}, customer feels {{steps.sentiment.sentiment}}, received {{steps.received.iso8601}}):
                {{input.ticket.body}}

                Applicable policy:
                {{steps.policy-notes}}

                Draft the reply.
                """
        )
        .needs(latency: .interactive)
        .maxOutputTokens(350)
    }
}
