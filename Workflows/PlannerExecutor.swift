import Purser

extension ExampleWorkflows {
    /// A planner-executor agent: the fan-out is decided by a model at run time (the planner's
    /// list of tasks, 2 to 12), so before the run the estimate can only give it as a
    /// distribution with a declared worst case. A budget on the workflow or the run bounds
    /// what the fan-out may spend; with `stop`, the executors that no longer fit never start.
    public static let plannerExecutor = Workflow(
        "planner-executor",
        description: "A planner model splits a goal into 2-12 tasks; one executor call per task (fan-out decided at run time); a synthesis.",
        exampleInput: [
            "goal": "Prepare the Q1 customer-retention review: churn by segment, the top complaint themes, and three actions for Q2."
        ],
        inputSchema: .object(["goal": .string(maxLength: 4000)])
    ) {
        ModelStep(
            "plan",
            system: "You plan work for other agents. Split the goal into independent tasks. Answer with JSON only.",
            prompt: "Goal: {{input.goal}}"
        )
        .needs(latency: .standard, reasoning: .medium)
        .maxOutputTokens(800)
        .output(
            .object([
                "tasks": .array(
                    of: .object(["title": .string(maxLength: 200), "instructions": .string(maxLength: 1000)]),
                    minItems: 2, maxItems: 12)
            ]))

        ForEach("execute", over: "steps.plan.tasks", maxCount: 12, maxConcurrency: 4) {
            ModelStep("task", prompt: "Goal: {{input.goal}}\nYour task: {{item.title}}\n{{item.instructions}}")
                .needs(latency: .standard, reasoning: .low)
                .maxOutputTokens(500)
        }

        ModelStep(
            "synthesis",
            system: "You turn the results of several agents into one review for leadership.",
            prompt: "Goal: {{input.goal}}\nResults: {{steps.execute}}"
        )
        .needs(latency: .standard, reasoning: .medium)
        .maxOutputTokens(900)
    }
}
