import Purser

extension ExampleWorkflows {
    /// Nobody is waiting: assess every clause of a contract against the playbook, many at a
    /// time, at batch latency, so the clause reviews route to the cheapest tier that reasons
    /// a little; one deeper summary follows.
    public static let contractReview = Workflow(
        "contract-review",
        description: "Review every clause of a contract against the playbook (for-each, batch latency), then summarise the risks.",
        exampleInput: [
            "contract": [
                "title": "Master Services Agreement — Northwind Ltd",
                "clauses": [
                    ["id": "4.1", "text": "The Supplier's total liability shall be unlimited for any and all claims."],
                    ["id": "7.2", "text": "Either party may terminate for material breach not cured within 30 days."],
                    ["id": "9.1", "text": "Customer personal data may be transferred to any country without safeguards."],
                    ["id": "11.3", "text": "Invoices are payable within 90 days of receipt."],
                    ["id": "14.1", "text": "This agreement renews automatically for successive three-year terms."],
                ],
            ]
        ],
        inputSchema: .object([
            "contract": .object([
                "title": .string(),
                "clauses": .array(
                    of: .object(["id": .string(), "text": .string(maxLength: 20_000)]), minItems: 1, maxItems: 200),
            ])
        ]),
        jurisdictions: [.eu, .uk, .us]
    ) {
        ToolStep("playbook", tool: "search_files", arguments: ["query": "liability termination data payment renewal", "limit": 10])

        ForEach("clauses", over: "input.contract.clauses", maxCount: 200, maxConcurrency: 8) {
            ModelStep(
                "assess",
                system: "You are a commercial lawyer. Compare the clause with the playbook. Answer with JSON only.",
                prompt: "Playbook: {{steps.playbook.matches}}\n\nClause {{item.id}}: {{item.text}}"
            )
            .needs(latency: .batch, reasoning: .low)
            .maxOutputTokens(300)
            .output(
                .object([
                    "clause": .string(),
                    "risk": .string(oneOf: ["low", "medium", "high"]),
                    "issue": .string(maxLength: 400),
                    "suggestion": .string(maxLength: 400),
                ]))
        }

        ModelStep(
            "summary",
            system: "You brief a general counsel in plain English.",
            prompt: "Contract: {{input.contract.title}}\nClause assessments: {{steps.clauses}}\n\nSummarise the top risks and what to negotiate."
        )
        .needs(latency: .standard, reasoning: .medium)
        .maxOutputTokens(800)
    }
}
