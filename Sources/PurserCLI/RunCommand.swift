import ArgumentParser
import Foundation
import Purser

/// `purser run NAME`: run a workflow to its end, with live progress and a per-step table.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a workflow and print its output and a per-step table.",
        discussion: """
            Runs on the embedded default: the built-in model simulator (its tiers are priced like real \
            models and answer with realistic latency unless --speed says otherwise). Progress goes to \
            standard error when it is a terminal; the result goes to standard output.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The workflow to run (see `purser workflows`).")
    var workflow: String

    @Option(help: "The run input: JSON, or @path to a JSON file. Defaults to the workflow's example input.")
    var input: String?

    @Option(name: .customLong("tag"), help: "A tag for the run, KEY=VALUE (repeatable).")
    var tags: [String] = []

    @Option(help: "Simulator speed: realtime, instant, or a factor such as 10 (ten times faster).")
    var speed: String = "realtime"

    @Option(help: "Calls in flight at once within the run.")
    var maxConcurrency: Int = 16

    @Option(help: "Seconds each call may take before it is cancelled and retried.")
    var timeout: Double = 120

    @Flag(help: "Print one JSON document (the run result) instead of text.")
    var json = false

    @Flag(help: "Say why every other tier lost, for each step's routing decision.")
    var explain = false

    @Flag(help: "Serve every catalog tier with the simulator, at its own prices and latencies (no real calls).")
    var simulate = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard maxConcurrency >= 1 else { throw ValidationError("--max-concurrency must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        _ = try parsedSpeed()
        _ = try parsedTags()
    }

    func parsedSpeed() throws -> SimulatedProvider.Speed { try Self.parseSpeed(speed) }

    /// `realtime`, `instant`, or a positive factor.
    static func parseSpeed(_ speed: String) throws -> SimulatedProvider.Speed {
        switch speed.lowercased() {
        case "realtime", "real-time": return .realTime
        case "instant": return .instant
        default:
            guard let factor = Double(speed), factor > 0 else {
                throw ValidationError("--speed must be realtime, instant, or a positive factor; got '\(speed)'")
            }
            return .scaled(factor)
        }
    }

    func parsedTags() throws -> [String: String] {
        var parsed: [String: String] = [:]
        for tag in tags {
            let parts = tag.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--tag must be KEY=VALUE; got '\(tag)'")
            }
            parsed[String(parts[0])] = String(parts[1])
        }
        return parsed
    }

    func run() async throws {
        do {
            let code = try await execute()
            if code != ExitCodes.success { throw ExitCode(code) }
        } catch let failure as CLIFailure {
            Self.exit(with: failure)
        }
    }

    private func execute() async throws -> Int32 {
        let definition = try WorkflowCatalog.workflow(named: workflow)
        let runInput = try input.map(InputReader.read) ?? definition.exampleInput
        if let server = try ServerConnection.detect(global, connection) {
            return try await executeOnServer(server, input: runInput)
        }
        let store = HistoryStore(directory: global.dataDirectory)
        let engine = try EngineFactory.makeEngine(
            speed: try parsedSpeed(), history: try store.load(), dataDirectory: global.dataDirectory, simulate: simulate,
            ledger: try LedgerFile.open(global.dataDirectory))
        let graph: WorkflowGraph
        do {
            graph = try engine.compile(definition)
        } catch {
            throw CLIFailure(message: error.description, exitCode: ExitCodes.invalidInput)
        }
        let options = RunOptions(
            tags: try parsedTags(), maxConcurrency: maxConcurrency, stepTimeout: .seconds(timeout))
        let handle: RunHandle
        do {
            handle = try await engine.start(graph, input: runInput, options: options)
        } catch {
            throw CLIFailure(message: error.description, exitCode: ExitCodes.code(for: error))
        }

        let interrupt = InterruptHandler { handle.cancel() }
        defer { interrupt.stop() }

        var progress = ProgressReporter(enabled: !json && Terminal.standardError.isInteractive, announce: !json)
        for await event in handle.events { progress.handle(event) }
        let result = await handle.result()
        try store.learn(from: result)
        return report(result)
    }

    /// Runs on the server listening on the data directory's socket: triggers the run, follows
    /// its event stream, and prints the same report. Ctrl-C cancels the run on the server.
    /// The server's own settings (simulator speed, timeouts) apply, not this command's.
    private func executeOnServer(_ server: ServerConnection, input: JSONValue) async throws -> Int32 {
        if simulate {
            Terminal.standardError.write("note: --simulate has no effect on a server; `purser serve --simulate` sets it\n")
        }
        var body: [String: JSONValue] = ["workflow": .string(workflow), "input": input]
        let tags = try parsedTags()
        if !tags.isEmpty { body["tags"] = .object(tags.mapValues(JSONValue.string)) }
        let accepted = try await server.send(.POST, "/v1/runs", json: .object(body))
        guard let id = (try? accepted.json())?["id"]?.stringValue else {
            await server.close()
            throw CLIFailure(message: "the server accepted the run but did not say its id", exitCode: ExitCodes.internal)
        }
        let client = server.client
        let interrupt = InterruptHandler {
            Task { _ = try? await client.send(.POST, "/v1/runs/\(ServerConnection.encoded(id))/cancel") }
        }
        defer { interrupt.stop() }
        if !json { Terminal.standardError.write("running \(workflow) as \(id) on \(server.socketPath)\n") }
        var progress = ProgressReporter(enabled: !json && Terminal.standardError.isInteractive, announce: false)
        do {
            let (_, events) = try await client.events("/v1/runs/\(ServerConnection.encoded(id))/events")
            for try await message in events {
                if let event = RemoteRun.event(message) { progress.handle(event) }
            }
        } catch {
            await server.close()
            throw CLIFailure(message: "lost the server's event stream: \(error)", exitCode: ExitCodes.providerFailure)
        }
        let view = try await server.send(.GET, "/v1/runs/\(ServerConnection.encoded(id))", as: RemoteRun.View.self)
        await server.close()
        return report(view.result)
    }

    /// Prints the result (text or JSON) and returns the exit code it calls for.
    private func report(_ result: RunResult) -> Int32 {
        if json {
            // Laid out from the encoded bytes, so 64-bit numbers (the estimate's seed) keep every digit.
            let document = (try? JSONText.pretty(encoding: result)) ?? "null"
            Terminal.standardOutput.write(document + "\n")
        } else {
            Terminal.standardOutput.write(RunReport.render(result, explain: explain))
        }
        if let error = result.error {
            if json { Terminal.standardError.write("error [\(error.code)]: \(error)\n") }
            return ExitCodes.code(for: error)
        }
        return ExitCodes.success
    }
}
