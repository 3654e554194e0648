import Purser

extension ExampleWorkflows {
    /// Nobody is waiting: assess every clause of a contract against the playbook, many at a
    /// time, at batch latency, so the clause reviews route to the cheapest tier that reasons
    /// a little (a batch tier, at half price); one deeper summary follows. Its fan-out is
    /// known from the input, so the estimate before the run is tight.
    public static let contractReview = Workflow(
        "contract-review",
        description: "Review every clause of a contract against the playbook (for-each, batch latency), then summarise the risks.",
        exampleInput: ["contract": ["title": "Master Services Agreement — Northwind Ltd", "clauses": .array(sampleClauses)]],
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

extension ExampleWorkflows {
    /// The example contract's clauses: enough of them that the batch fan-out is what the run costs.
    public static let sampleClauses: [JSONValue] = [
        ("1.1", "This agreement starts on the Effective Date and continues for an initial term of three years."),
        ("2.3", "The Supplier shall provide the Services with reasonable skill and care."),
        ("3.2", "The Customer shall pay the fees set out in Schedule 2, exclusive of VAT."),
        ("3.5", "The Supplier may increase the fees by any amount on 7 days' notice."),
        ("4.1", "The Supplier's total liability shall be unlimited for any and all claims."),
        ("4.2", "Neither party excludes liability for death or personal injury caused by negligence."),
        ("4.4", "The Customer's liability is capped at the fees paid in the previous 12 months."),
        ("5.1", "Service credits are the Customer's sole and exclusive remedy for any service failure."),
        ("6.2", "The Supplier may subcontract any of its obligations without the Customer's consent."),
        ("7.2", "Either party may terminate for material breach not cured within 30 days."),
        ("7.4", "The Supplier may terminate for convenience on 14 days' notice."),
        ("8.1", "All intellectual property created under this agreement vests in the Supplier."),
        ("8.3", "The Customer grants the Supplier a perpetual licence to use Customer Data for any purpose."),
        ("9.1", "Customer personal data may be transferred to any country without safeguards."),
        ("9.4", "The Supplier shall notify the Customer of a personal data breach within 72 hours."),
        ("10.2", "Each party shall keep the other's confidential information secret for five years."),
        ("11.3", "Invoices are payable within 90 days of receipt."),
        ("11.6", "Late payments bear interest at 4% a month."),
        ("12.1", "The Supplier shall maintain insurance of at least GBP 1,000,000."),
        ("13.2", "Neither party is liable for delay caused by events beyond its reasonable control."),
        ("14.1", "This agreement renews automatically for successive three-year terms."),
        ("15.1", "The Supplier may assign this agreement to any third party without notice."),
        ("16.1", "This agreement is governed by the laws of England and Wales."),
        ("16.2", "Disputes shall be settled by arbitration in a venue chosen by the Supplier."),
    ].map { id, text in ["id": .string(id), "text": .string(text)] }
}
