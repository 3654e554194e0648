import ArgumentParser

/// `purser`: run budgeted agent workflows.
public struct PurserCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "purser",
        abstract: "Run multi-step agent workflows on the cheapest model tiers that meet their needs.",
        discussion: """
            Exit codes: 0 success; 1 the run failed at a step; 64 usage error; 65 invalid input or workflow; \
            66 not found; 69 provider failure or no tier meets a step's needs; 70 internal error; \
            75 budget exceeded (or the server's queue is full); 77 the server refused the token; 78 invalid configuration (purser.yaml); 130 cancelled.
            """,
        subcommands: [
            WorkflowsCommand.self, RunCommand.self, EstimateCommand.self, TiersCommand.self, BudgetCommand.self,
            SpendCommand.self, TokenizeCommand.self, ServeCommand.self, RunsCommand.self,
            AuthCommand.self, DemoCommand.self,
        ]
    )

    public init() {}
}
