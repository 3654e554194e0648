import Purser
import Workflows

/// The workflows the CLI can run: the compiled-in examples.
enum WorkflowCatalog {
    static var all: [Workflow] { ExampleWorkflows.all }

    static func workflow(named name: String) throws(CLIFailure) -> Workflow {
        guard let workflow = ExampleWorkflows.named(name) else {
            let known = all.map(\.name).joined(separator: ", ")
            throw CLIFailure(message: "unknown workflow '\(name)' (known: \(known))", exitCode: ExitCodes.notFound)
        }
        return workflow
    }
}
