import Foundation
import Purser
import PurserTestKit
import Testing

/// Runs the real `purser` executable, as a user would.
@Suite("purser CLI")
struct CLITests {
    typealias Outcome = PurserOutcome

    /// Each test gets its own data directory, so runs never touch the user's `~/.purser`.
    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory(prefix: "purser-cli-home")
    }

    var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["PURSER_HOME"] = home.path
        return environment
    }

    static var executable: URL { PurserProcess.executable }

    func purser(_ arguments: String..., stdin: String? = nil) async throws -> Outcome {
        try await PurserProcess.run(arguments, home: home.path, stdin: stdin)
    }

    @Test func listsWorkflowsWithRunnableExamples() async throws {
        let text = try await purser("workflows")
        #expect(text.status == 0)
        #expect(text.stdout.contains("support-triage"))
        #expect(text.stdout.contains("run:   purser run contract-review --input '"))

        let json = try await purser("workflows", "--json")
        #expect(json.status == 0)
        let list = try #require(try JSONValue(parsing: json.stdout).arrayValue)
        #expect(
            list.compactMap { $0["name"]?.stringValue } == [
                "support-triage", "contract-review", "research-agent", "executive-brief", "contact-center",
                "credit-decision", "planner-executor",
            ])
        #expect(list.allSatisfy { ($0["steps"]?.arrayValue?.count ?? 0) > 0 && $0["exampleInput"] != nil })
    }

    @Test func runsAWorkflowAndPrintsItsTable() async throws {
        let outcome = try await purser("run", "support-triage", "--speed", "instant")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("succeeded"))
        #expect(outcome.stdout.contains("step"))
        #expect(outcome.stdout.contains("attempts"))
        #expect(outcome.stdout.contains("classify"))
        #expect(outcome.stdout.contains("sim-nano"))
        #expect(outcome.stdout.contains("total: 4 model calls"))
    }

    @Test func jsonOutputIsOneDocumentOnStandardOutput() async throws {
        let input = #"{"question":"How much is 12 * 7?"}"#
        let outcome = try await purser("run", "research-agent", "--input", input, "--speed", "instant", "--json", "--tag", "team=research")
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let result = try JSONValue(parsing: outcome.stdout)
        #expect(result["status"] == "succeeded")
        #expect(result["workflow"] == "research-agent")
        #expect(result["records"]?.arrayValue?.isEmpty == false)
        #expect(result["totals"]?["cost"]?.stringValue != nil)
    }

    @Test func readsInputFromAFile() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("input.json", #"{"findings":"Costs fell 12%.","audience":"the board"}"#)
        let outcome = try await purser("run", "executive-brief", "--input", "@\(file.path)", "--speed", "instant", "--json")
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
        (["estimate"], 64, "name a workflow to estimate, or pass --calibration"),
        (["estimate", "nope"], 66, "unknown workflow 'nope'"),
        (["estimate", "--calibration", "nope"], 66, "unknown workflow 'nope'"),
        (["estimate", "--calibration", "--input", "{}"], 64, "--input does not apply to --calibration"),
        (["estimate", "support-triage", "--input", #"{"ticket":{}}"#], 65, "missing required property 'subject'"),
        (["estimate", "support-triage", "--samples", "0"], 64, "--samples must be between 1 and 100000"),
        (["tokenize", "--encoding", "p50k_base"], 64, "--encoding must be cl100k_base or o200k_base"),
    ] as [([String], Int32, String)])
    func badInputGetsAClearErrorAndItsExitCode(arguments: [String], status: Int32, message: String) async throws {
        let outcome = try await PurserProcess.run(arguments, home: home.path)
        #expect(outcome.status == status, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
    }

    @Test func interruptingARunCancelsItCleanly() async throws {
        let environment = environment
        let (logged, status, stdout) = try await offThePool {
            // Twenty times slower than real time: the run cannot end before it is interrupted,
            // however loaded the machine is.
            let child = try ChildProcess.start(
                Self.executable, ["run", "contract-review", "--speed", "0.05"], environment: environment,
                inheritEnvironment: false)
            // The CLI logs "running ..." once its Ctrl-C handler is in place.
            while child.process.isRunning, !child.stderrSoFar.contains("running contract-review") {
                Thread.sleep(forTimeInterval: 0.01)
            }
            let logged = child.stderrSoFar
            child.process.interrupt()
            let outcome = try child.wait()
            return (logged, outcome.status, outcome.stdout)
        }
        #expect(logged.contains("running contract-review"))
        #expect(status == 130)
        #expect(stdout.contains("cancelled"))
    }

    @Test func anUnreadableHistoryIsReportedNotOverwritten() async throws {
        try home.write("estimate-history.json", "{not json")
        let outcome = try await purser("estimate", "executive-brief")
        #expect(outcome.status == 70)
        #expect(outcome.stderr.contains("is unreadable"))
        let run = try await purser("run", "executive-brief", "--speed", "instant")
        #expect(run.status == 70)
        #expect(try String(contentsOf: home.url.appendingPathComponent("estimate-history.json"), encoding: .utf8) == "{not json")
    }

    @Test func estimatesBeforeRunningAndReportsCalibrationAfter() async throws {
        let estimate = try await purser("estimate", "contract-review", "--json")
        #expect(estimate.status == 0, "\(estimate.stderr)")
        let document = try JSONValue(parsing: estimate.stdout)
        #expect(document["workflow"] == "contract-review")
        #expect(document["confidence"] == "prior")
        let steps = try #require(document["steps"]?.arrayValue)
        #expect(steps.compactMap { $0["path"]?.stringValue } == ["playbook", "clauses/assess", "summary"])
        // The example has 24 clauses: known from the input, so exactly 24 calls.
        #expect(steps[1]["calls"]?["worst"] == 24)

        let text = try await purser("estimate", "contract-review")
        #expect(text.status == 0)
        #expect(text.stdout.contains("total cost: expected"))
        #expect(text.stdout.contains("clauses/assess"))

        let empty = try await purser("estimate", "--calibration")
        #expect(empty.stdout.contains("no calibration data yet"))
        for index in 0..<3 {
            let run = try await purser(
                "run", "executive-brief", "--speed", "instant",
                "--input", #"{"findings":"Finding \#(index)","audience":"the board"}"#)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("estimated cost: expected"))
        }
        let calibration = try await purser("estimate", "--calibration", "executive-brief", "--json")
        #expect(calibration.status == 0)
        let reports = try #require(try JSONValue(parsing: calibration.stdout).arrayValue)
        #expect(reports.first?["runs"] == 3)
        #expect(reports.first?["worstCaseCoverage"] == 1)
        // History persisted in the data directory: estimates are no longer prior-only.
        let learned = try JSONValue(parsing: try await purser("estimate", "executive-brief", "--json").stdout)
        #expect(learned["confidence"] == "learning")
    }

    @Test func tokenizesStandardInput() async throws {
        let ids = try await purser("tokenize", "--encoding", "cl100k_base", stdin: "hello world")
        #expect(ids.status == 0, "\(ids.stderr)")
        #expect(ids.stdout == "[15339,1917]\n")
        let count = try await purser("tokenize", "--encoding", "o200k_base", "--count", stdin: "hello world")
        #expect(count.stdout == "2\n")
        let lines = try await purser("tokenize", "--encoding", "cl100k_base", "--jsonl", stdin: "\"hello world\"\n\"hello\"\n")
        #expect(lines.stdout == "[15339,1917]\n[15339]\n")
        let bad = try await purser("tokenize", "--jsonl", stdin: "\"ok\"\nnot json\n")
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("line 2 of standard input is not a JSON string"))
        let unknown = try await purser("tokenize", "--encoding", "p50k")
        #expect(unknown.status == 64)
    }
}
