import Foundation
import Purser
import PurserTestKit
import Testing

/// Runs the real `purser` executable, as a user would.
@Suite("purser CLI")
struct CLITests {
    struct Outcome {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The `purser` binary sits beside the test bundle in the build products folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("purser")
    }

    func purser(_ arguments: String...) throws -> Outcome {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test func listsWorkflowsWithRunnableExamples() throws {
        let text = try purser("workflows")
        #expect(text.status == 0)
        #expect(text.stdout.contains("support-triage"))
        #expect(text.stdout.contains("run:   purser run contract-review --input '"))

        let json = try purser("workflows", "--json")
        #expect(json.status == 0)
        let list = try #require(try JSONValue(parsing: json.stdout).arrayValue)
        #expect(list.compactMap { $0["name"]?.stringValue } == ["support-triage", "contract-review", "research-agent", "executive-brief"])
        #expect(list.allSatisfy { ($0["steps"]?.arrayValue?.count ?? 0) > 0 && $0["exampleInput"] != nil })
    }

    @Test func runsAWorkflowAndPrintsItsTable() throws {
        let outcome = try purser("run", "support-triage", "--speed", "instant")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("succeeded"))
        #expect(outcome.stdout.contains("step"))
        #expect(outcome.stdout.contains("attempts"))
        #expect(outcome.stdout.contains("classify"))
        #expect(outcome.stdout.contains("sim-nano"))
        #expect(outcome.stdout.contains("total: 4 model calls"))
    }

    @Test func jsonOutputIsOneDocumentOnStandardOutput() throws {
        let input = #"{"question":"How much is 12 * 7?"}"#
        let outcome = try purser("run", "research-agent", "--input", input, "--speed", "instant", "--json", "--tag", "team=research")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let result = try JSONValue(parsing: outcome.stdout)
        #expect(result["status"] == "succeeded")
        #expect(result["workflow"] == "research-agent")
        #expect(result["records"]?.arrayValue?.isEmpty == false)
        #expect(result["totals"]?["cost"]?.stringValue != nil)
    }

    @Test func readsInputFromAFile() throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("input.json", #"{"findings":"Costs fell 12%.","audience":"the board"}"#)
        let outcome = try purser("run", "executive-brief", "--input", "@\(file.path)", "--speed", "instant", "--json")
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    @Test(arguments: [
        (["run", "no-such-workflow"], 66, "unknown workflow 'no-such-workflow'"),
        (["run", "support-triage", "--input", "{not json"], 65, "--input is not valid JSON"),
        (["run", "support-triage", "--input", #"{"ticket":{"subject":1}}"#], 65, "$.ticket.subject: expected string, got integer"),
        (["run", "support-triage", "--input", "@/no/such/file.json"], 66, "cannot read input file"),
        (["run", "support-triage", "--speed", "warp"], 64, "--speed must be realtime, instant, or a positive factor"),
        (["run", "support-triage", "--tag", "novalue"], 64, "--tag must be KEY=VALUE"),
        (["run", "support-triage", "--max-concurrency", "0"], 64, "--max-concurrency must be at least 1"),
        (["frobnicate"], 64, "Unexpected argument"),
    ] as [([String], Int32, String)])
    func badInputGetsAClearErrorAndItsExitCode(arguments: [String], status: Int32, message: String) throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == status, "\(stderr)")
        #expect(stderr.contains(message), "\(stderr)")
    }

    @Test func interruptingARunCancelsItCleanly() async throws {
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["run", "contract-review", "--speed", "realtime"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        try await Task.sleep(for: .milliseconds(1500))
        process.interrupt()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(stdout.contains("cancelled"))
    }
}
