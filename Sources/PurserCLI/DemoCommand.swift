import ArgumentParser
import Foundation
import Purser
import Workflows

/// `purser demo`: runs the showcase workflows on the embedded default and says, for each, what
/// it was estimated to cost, where its calls went and why, what it spent against its budget,
/// and what always using the strongest tier would have cost.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the showcase workflows and show estimates, routing, spend against budgets, and savings.",
        discussion: """
            Runs on the built-in simulator with budgets kept in memory: it never touches the data \
            directory's ledger, so finance's spend reports are unaffected. Each workflow gets the budget \
            finance would set for it; the planner-executor's is a per-run cap below what its plan costs, \
            to show a budget stopping a fan-out. Exit status 1 if a run ends in any other way than meant.
            """
    )

    @Option(help: "Simulator speed: realtime, instant, or a factor such as 10 (ten times faster).")
    var speed: String = "instant"

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        _ = try RunCommand.parseSpeed(speed)
    }

    func run() async throws {
        do {
            let outcomes = try await Self.runShowcase(speed: try RunCommand.parseSpeed(speed))
            Terminal.standardOutput.write(json ? DemoReport.json(outcomes).prettyJSON + "\n" : DemoReport.render(outcomes))
            if !outcomes.allSatisfy(\.endedAsIntended) { throw ExitCode(ExitCodes.runFailed) }
        } catch let failure as CLIFailure {
            Self.exit(with: failure)
        }
    }

    /// Every showcase workflow, one after the other, each on an engine of its own whose
    /// in-memory ledger holds only that workflow's budget (a `run` cap applies to every run
    /// of its ledger, so sharing one would cap the other workflows too).
    static func runShowcase(speed: SimulatedProvider.Speed) async throws -> [DemoOutcome] {
        var outcomes: [DemoOutcome] = []
        for showcase in Showcase.all {
            let workflow = showcase.workflow
            do {
                let budget = try showcase.budget()
                let ledger = InMemoryLedger(budgets: [budget])
                let engine = try EngineFactory.makeEngine(speed: speed, reservingThrough: ledger)
                let graph = try engine.compile(workflow)
                let estimate = try await engine.estimate(graph, input: workflow.exampleInput)
                let result = try await engine.run(graph, input: workflow.exampleInput)
                let spend = await ledger.budgets(forRun: result.id, workflow: workflow.name, tags: [:]).first
                outcomes.append(
                    DemoOutcome(
                        showcase: showcase, budget: budget, estimate: estimate, result: result, spend: spend,
                        tiers: engine.tiers))
            } catch let failure as CLIFailure {
                throw failure
            } catch let error as PurserError {
                throw CLIFailure(message: "\(workflow.name): \(error)", exitCode: ExitCodes.code(for: error))
            } catch {
                throw CLIFailure(message: "\(workflow.name): \(error)", exitCode: ExitCodes.internal)
            }
        }
        return outcomes
    }
}
