import ArgumentParser
import Purser

/// `purser workflows`: what can be run, and how.
struct WorkflowsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows",
        abstract: "List the workflows, with their steps and an example input that runs each."
    )

    @Flag(help: "Print one JSON document instead of text.")
    var json = false

    func run() async throws {
        let engine: Engine
        do { engine = try EngineFactory.makeEngine(speed: .instant, exactCounting: false) } catch { Self.exit(with: error) }
        var entries: [JSONValue] = []
        var text = ""
        for workflow in WorkflowCatalog.all {
            let graph: WorkflowGraph
            do {
                graph = try engine.compile(workflow)
            } catch {
                Self.exit(with: CLIFailure(message: error.description, exitCode: ExitCodes.invalidInput))
            }
            entries.append(Self.describe(graph))
            text += "\(workflow.name)\n  \(workflow.description)\n"
            let steps = graph.steps.map { "\($0.id) (\($0.kind.rawValue))" }.joined(separator: ", ")
            text += "  steps: \(steps)\n"
            text += "  at most \(graph.maxCallCount) calls\n"
            let example = workflow.exampleInput.compactJSON.replacingOccurrences(of: "'", with: "'\\''")
            text += "  run:   purser run \(workflow.name) --input '\(example)'\n\n"
        }
        if json {
            Terminal.standardOutput.write(JSONValue.array(entries).prettyJSON + "\n")
        } else {
            Terminal.standardOutput.write(text)
        }
    }

    static func describe(_ graph: WorkflowGraph) -> JSONValue {
        let workflow = graph.workflow
        return .object([
            "name": .string(workflow.name),
            "description": .string(workflow.description),
            "exampleInput": workflow.exampleInput,
            "inputSchema": workflow.inputSchema?.jsonValue ?? .null,
            "jurisdictions": workflow.jurisdictions.map { .array($0.sorted().map { .string($0.rawValue) }) } ?? .null,
            "maxCalls": .number(Double(graph.maxCallCount)),
            "steps": (try? JSONValue.encoding(graph.steps)) ?? .array([]),
        ])
    }
}
