import Purser

extension ExampleWorkflows {
    /// A regulated recommendation: a UK lender's credit decision on a small business. The
    /// workflow is restricted to the `uk` jurisdiction, so every inference runs on a UK tier
    /// whatever it costs, each step's routing decision records the cheaper tiers ruled out by
    /// jurisdiction, and the run's records say where every call ran (the audit trail).
    public static let creditDecision = Workflow(
        "credit-decision",
        description: "A UK small-business credit recommendation kept on UK-jurisdiction tiers, with an audit trail of where every inference ran.",
        exampleInput: [
            "applicant": [
                "name": "Harbour Bakery Ltd",
                "yearsTrading": 6,
                "annualRevenue": 480_000,
                "existingDebt": 35_000,
            ],
            "request": ["amount": 60_000, "termMonths": 36, "purpose": "A second oven and a shop refit"],
        ],
        inputSchema: .object([
            "applicant": .object([
                "name": .string(),
                "yearsTrading": .integer(minimum: 0),
                "annualRevenue": .number(minimum: 0),
                "existingDebt": .number(minimum: 0),
            ]),
            "request": .object([
                "amount": .number(minimum: 1),
                "termMonths": .integer(minimum: 1, maximum: 360),
                "purpose": .string(maxLength: 2000),
            ]),
        ]),
        jurisdictions: [.uk]
    ) {
        ToolStep(
            "monthly-repayment", tool: "calculator",
            arguments: ["expression": "{{input.request.amount}} / {{input.request.termMonths}}"])

        ModelStep(
            "assess",
            system: """
                You are a UK credit analyst. Weigh affordability, trading history and existing debt. \
                Treat the applicant fairly and explain every reason. Answer with JSON only.
                """,
            prompt: """
                Applicant: {{input.applicant}}
                Request: {{input.request}}
                Repayment before interest: {{steps.monthly-repayment.result}} a month
                """
        )
        .needs(latency: .standard, reasoning: .high)
        .maxOutputTokens(600)
        .output(
            .object([
                "recommendation": .string(oneOf: ["approve", "refer", "decline"]),
                "reasons": .array(of: .string(maxLength: 300), minItems: 1, maxItems: 5),
                "conditions": .string(maxLength: 600),
            ]))

        ModelStep(
            "decision-note",
            system: "You write the decision note a credit officer reviews and signs, in plain English.",
            prompt: "Assessment: {{steps.assess}}\nApplicant: {{input.applicant.name}}\nWrite the note."
        )
        .needs(latency: .standard, reasoning: .medium)
        .maxOutputTokens(400)
    }
}
