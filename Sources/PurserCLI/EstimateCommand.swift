import ArgumentParser
import Purser

/// `purser estimate NAME`: what a run will cost before it starts; `--calibration`: how good
/// past estimates were.
struct EstimateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate a run's tokens and cost per step and in total, or report calibration.",
        discussion: """
            The estimate is a distribution (expected, p50, p95, worst case) from a seeded Monte Carlo \
            over the workflow, using what earlier runs in the data directory taught. \
            `purser estimate --calibration [WORKFLOW]` reports, per workflow, how often the actual cost \
            was within the p95 estimate and the mean absolute percentage error of the expected cost.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The workflow to estimate (or, with --calibration, to report on).")
    var workflow: String?

    @Option(help: "The run input: JSON, or @path to a JSON file. Defaults to the workflow's example input.")
    var input: String?

    @Flag(help: "Report calibration instead of estimating.")
    var calibration = false

    @Option(help: "Monte Carlo samples.")
    var samples: Int = 500

    @Option(help: "Random seed (the same seed and history give the same estimate).")
    var seed: UInt64 = Estimator.defaultSeed

    @Flag(help: "Serve every tier in the catalog with the built-in simulator (at its own prices and latencies).")
    var simulate = false

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func validate() throws {
        if !calibration, workflow == nil { throw ValidationError("name a workflow to estimate, or pass --calibration") }
        if calibration, input != nil { throw ValidationError("--input does not apply to --calibration") }
        guard samples >= 1, samples <= 100_000 else { throw ValidationError("--samples must be between 1 and 100000") }
    }

    func run() async throws {
        do {
            let store = HistoryStore(directory: global.dataDirectory)
            let history = try store.load()
            if calibration {
                if let workflow { _ = try WorkflowCatalog.workflow(named: workflow) }
                let reports = CalibrationReport.reports(from: history.calibration, workflow: workflow)
                Terminal.standardOutput.write(
                    json ? (try JSONText.pretty(encoding: reports)) + "\n" : EstimateReport.render(reports))
                return
            }
            let definition = try WorkflowCatalog.workflow(named: workflow ?? "")
            let runInput = try input.map(InputReader.read) ?? definition.exampleInput
            let engine = try EngineFactory.makeEngine(
                speed: .instant, history: history, dataDirectory: global.dataDirectory, simulate: simulate)
            let graph: WorkflowGraph
            do { graph = try engine.compile(definition) } catch {
                throw CLIFailure(message: error.description, exitCode: ExitCodes.invalidInput)
            }
            if let schema = definition.inputSchema {
                let problems = schema.violations(of: runInput)
                guard problems.isEmpty else {
                    throw CLIFailure(
                        message: "input for workflow '\(definition.name)' is invalid: " + problems.joined(separator: "; "),
                        exitCode: ExitCodes.invalidInput)
                }
            }
            let estimate: RunEstimate
            do { estimate = try await engine.estimate(graph, input: runInput, samples: samples, seed: seed) } catch {
                throw CLIFailure(message: error.description, exitCode: ExitCodes.code(for: error))
            }
            Terminal.standardOutput.write(
                json ? (try JSONText.pretty(encoding: estimate)) + "\n" : EstimateReport.render(estimate))
        } catch let failure as CLIFailure {
            Self.exit(with: failure)
        }
    }
}
