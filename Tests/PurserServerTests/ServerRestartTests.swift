import Foundation
import Purser
import PurserClient
import PurserSQLite
import PurserTestKit
import Testing
import Workflows

/// Runs survive the server: stopped gracefully or killed, a restarted server resumes every
/// interrupted run from its journal, never calling or charging a finished step again.
@Suite("Server: restarts")
struct ServerRestartTests {
    /// Starts a contract review (a for-each over clauses, then a summary) slowly enough to be
    /// interrupted, and waits until `steps` of its calls have finished. Returns the run's id
    /// and the keys of the steps that finished.
    private func startAndWatch(_ client: PurserClient, steps: Int) async throws -> (id: String, finished: Set<String>) {
        let accepted = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review", key: "nightly-review"))
        let id = try #require(accepted["id"]?.stringValue, "\(accepted.text)")
        let (_, events) = try await client.events("/v1/runs/\(id)/events")
        var finished: Set<String> = []
        for try await event in events where event.event == "stepFinished" {
            let record = try JSONValue(parsing: event.data)
            if record["kind"] == "model", record["status"] == "succeeded", let key = record["key"]?.stringValue {
                finished.insert(key)
            }
            if finished.count >= steps { break }
        }
        #expect(finished.count >= steps, "the run ended before it could be interrupted")
        return (id, finished)
    }

    /// After the restart the run ends as if never interrupted, and each step that had finished
    /// before is charged exactly once.
    private func expectResumed(
        _ server: ServerProcess, id: String, finishedBefore: Set<String>
    ) async throws {
        let client = server.client(server.tokens.service)
        // The same idempotency key finds the resumed run; wait=true waits for its end.
        let result = try await client.send(.POST, "/v1/runs?wait=true", json: API.runBody("contract-review", key: "nightly-review"))
        #expect(result["id"]?.stringValue == id, "\(result.text)")
        #expect(result["status"] == "succeeded", "\(result.text)")
        try await client.shutdown()
        try await server.stop()

        let ledger = try SQLiteLedger(path: server.ledgerPath)
        let charges = try await ledger.charges(ofRun: RunID(id))
        for key in finishedBefore {
            let charged = charges.filter { $0.stepKey == key }
            #expect(charged.count == 1, "step \(key) was charged \(charged.count) times: \(charged)")
        }
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
        #expect(try ledger.unfinishedSubmissions().isEmpty)
        // Every clause was assessed once successfully, and the summary ran.
        let document = try #require(try await ledger.submission(RunID(id))?.document)
        let run = try JSONValue(parsing: String(decoding: document, as: UTF8.self))
        #expect(run["status"] == "succeeded")
        let steps = run["steps"]?.arrayValue ?? []
        #expect(steps.contains { $0["stepID"] == "summary" && $0["status"] == "succeeded" }, "\(run)")
    }

    @Test func aGracefulStopLeavesRunsToResumeOnTheNextStart() async throws {
        // Real time: the review takes about half a minute, so the stop lands mid-run however
        // late the event stream is read on a loaded machine.
        let server = try await ServerProcess(arguments: ["--speed", "1", "--grace", "1"])
        let client = server.client(server.tokens.service)
        let (id, finished) = try await startAndWatch(client, steps: 2)
        try await client.shutdown()
        let status = try await server.stop()
        #expect(status == 0, "\(server.log)")
        #expect(server.log.contains("resume on restart") || server.log.contains("drained"), "\(server.log)")
        let ledger = try SQLiteLedger(path: server.ledgerPath)
        #expect(try ledger.unfinishedSubmissions().map(\.id.rawValue) == [id])

        try await server.start()
        #expect(server.log.contains("resuming run \(id)"), "\(server.log)")
        try await expectResumed(server, id: id, finishedBefore: finished)
    }

    @Test func aKilledServerResumesItsRunsFromTheJournal() async throws {
        let server = try await ServerProcess(arguments: ["--speed", "1"])
        let client = server.client(server.tokens.service)
        let (id, finished) = try await startAndWatch(client, steps: 2)
        try await client.shutdown()
        try await server.kill9()
        #expect(FileManager.default.fileExists(atPath: server.socketPath), "SIGKILL leaves the socket file behind")

        // The stale socket file is replaced; reservations the dead server held are reconciled.
        try await server.start()
        #expect(server.log.contains("resuming run \(id)"), "\(server.log)")
        try await expectResumed(server, id: id, finishedBefore: finished)
    }

    /// The server saves what runs taught the estimator while it runs, so a kill loses at most
    /// one interval of it, and the next start estimates with it.
    @Test func aKilledServerKeepsTheHistoryItLearnedUpToItsLastSave() async throws {
        let server = try await ServerProcess(arguments: ["--speed", "instant", "--history-interval", "0.2"])
        let client = server.client(server.tokens.service)
        for _ in 0..<3 {
            let result = try await client.send(.POST, "/v1/runs?wait=true", json: API.runBody("executive-brief"))
            #expect(result["status"] == "succeeded", "\(result.text)")
        }
        let file = server.home.url.appendingPathComponent("estimate-history.json")
        func learnedBrief() -> Bool {
            guard let data = FileManager.default.contents(atPath: file.path),
                let history = try? JSONDecoder().decode(LearnedHistory.self, from: data)
            else { return false }
            return history.outputTokens.keys.contains { $0.hasPrefix("executive-brief") }
        }
        let deadline = ContinuousClock.now + .seconds(20)
        while !learnedBrief(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(learnedBrief(), "no history was saved while the server ran")
        try await client.shutdown()
        try await server.kill9()
        #expect(learnedBrief())

        try await server.start()
        let restarted = server.client(server.tokens.service)
        let estimate = try await restarted.send(
            .POST, "/v1/workflows/executive-brief/estimate", json: ["input": ExampleWorkflows.executiveBrief.exampleInput])
        try await restarted.shutdown()
        #expect(estimate["confidence"] != "prior", "\(estimate.text)")
        try await server.stop()
    }

    @Test func aSecondServerOnALiveSocketRefusesToStart() async throws {
        let server = try await ServerProcess()
        let second = try await ChildProcess.run(
            ServerProcess.executable, ["serve", "--speed", "instant"], environment: ["PURSER_HOME": server.home.path])
        let (status, output) = (second.status, second.stderr)
        #expect(status != 0)
        #expect(output.contains("already listening"), "\(output)")
        // The first server is untouched.
        let client = server.client(server.tokens.service)
        #expect(try await client.send(.GET, "/healthz").status == 200)
        try await client.shutdown()
        try await server.stop()
    }
}
