import Foundation
import Purser
import PurserClient
import PurserSQLite
import PurserTestKit
import Testing

/// `/v1/runs` against a real `purser serve` over its Unix socket.
@Suite("Server: runs")
struct ServerRunTests {
    @Test func aRunTriggeredAndAwaitedAnswersWithItsStepsSpendAndEstimate() async throws {
        let server = try await ServerProcess()
        let client = server.client(server.tokens.service)
        let answer = try await client.send(.POST, "/v1/runs?wait=true", json: API.runBody("support-triage", tags: ["team": "support"]))
        #expect(answer.status == 200, "\(answer.text)")
        let run = try answer.json()
        #expect(run["status"] == "succeeded")
        #expect(run["workflow"] == "support-triage")
        #expect(run["tags"]?["team"] == "support")
        let steps = try #require(run["steps"]?.arrayValue)
        #expect(steps.count >= 2)
        let model = try #require(steps.first { $0["kind"] == "model" })
        #expect(model["tierID"]?.stringValue?.hasPrefix("sim-") == true)
        #expect(model["decision"]?["tierID"] == model["tierID"])
        #expect(model["calls"]?.arrayValue?.isEmpty == false)
        #expect((model["usage"]?["outputTokens"]?.numberValue ?? 0) > 0)
        let cost = try Money(parsing: try #require(run["totals"]?["cost"]?.stringValue))
        #expect(cost > .zero)
        #expect(run["estimate"]?["cost"]?["p95"]?.stringValue != nil)
        #expect(run["estimateVsActual"]?["actualCost"]?.stringValue == cost.description)

        // The same run, read back, and in the list; the ledger charged exactly what it reports.
        let id = try #require(run["id"]?.stringValue)
        let read = try await client.send(.GET, "/v1/runs/\(id)")
        #expect(read.status == 200)
        #expect(read["totals"] == run["totals"])
        let list = try await client.send(.GET, "/v1/runs?workflow=support-triage&status=succeeded")
        #expect(list["runs"]?.arrayValue?.map { $0["id"] } == [.string(id)])
        try await client.shutdown()
        try await server.stop()
        let charged = try await SQLiteLedger(path: server.ledgerPath).charges(ofRun: RunID(id))
        #expect(charged.reduce(Money.zero) { $0 + $1.cost } == cost)
    }

    @Test func anIdempotencyKeyNeverStartsASecondRunEvenWhenRequestsRace() async throws {
        let server = try await ServerProcess()
        let client = server.client(server.tokens.service)
        let body = API.runBody("executive-brief", key: "order-4711")
        let answers = try await withThrowingTaskGroup(of: ClientResponse.self) { group in
            for _ in 0..<12 { group.addTask { try await client.send(.POST, "/v1/runs", json: body) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let ids = Set(answers.compactMap { $0["id"]?.stringValue })
        #expect(ids.count == 1, "\(answers.map(\.text))")
        #expect(answers.filter { $0.status == 202 }.count == 1)
        #expect(answers.filter { $0.status == 200 && $0["created"] == false }.count == 11)
        // Later too, and with wait=true it answers with that run's result.
        let again = try await client.send(.POST, "/v1/runs?wait=true", json: body)
        #expect(again["id"]?.stringValue == ids.first)
        #expect(again["status"] == "succeeded")
        // The same key with a different input is a client bug, refused.
        let other = try await client.send(
            .POST, "/v1/runs", json: API.runBody("executive-brief", input: ["findings": "x", "audience": "y"], key: "order-4711"))
        #expect(other.status == 409)
        #expect(other.code == "idempotency_key_reused")
        let list = try await client.send(.GET, "/v1/runs?workflow=executive-brief")
        #expect(list["runs"]?.arrayValue?.count == 1)
        try await client.shutdown()
        try await server.stop()
    }

    @Test(.timeLimit(.minutes(5))) func theEventStreamTellsTheRunFromStartToEnd() async throws {
        let server = try await ServerProcess()
        // A pause budget holds the run at its first call, so the stream is surely opened while
        // the run is live however loaded the machine is; raising the cap lets it finish.
        let finance = server.client(server.tokens.finance)
        let hold = try await finance.send(
            .PUT, "/v1/budgets/workflow%3Asupport-triage", json: ["period": "day", "limit": "0.000001", "policy": "pause"])
        #expect(hold.status == 200, "\(hold.text)")
        let client = server.client(server.tokens.service)
        let accepted = try await client.send(.POST, "/v1/runs", json: API.runBody("support-triage"))
        #expect(accepted.status == 202)
        #expect(accepted["status"] == "running")
        #expect(accepted.header("Location") == "/v1/runs/\(accepted["id"]?.stringValue ?? "")")
        let id = try #require(accepted["id"]?.stringValue)
        let (status, stream) = try await client.events("/v1/runs/\(id)/events")
        #expect(status == 200)
        let release = try await finance.send(
            .PUT, "/v1/budgets/workflow%3Asupport-triage", json: ["period": "day", "limit": "10.00", "policy": "pause"])
        #expect(release.status == 200, "\(release.text)")
        var events: [ServerSentEvent] = []
        for try await event in stream { events.append(event) }
        let names = events.map(\.event)
        #expect(names.first == "runStarted")
        #expect(names.last == "runFinished")
        #expect(names.contains("stepStarted") && names.contains("stepFinished"))
        #expect(names.contains("runPaused") && names.contains("runResumed"), "\(names)")
        #expect(events.map(\.id) == (1...events.count).map { String($0) })
        let finished = try JSONValue(parsing: try #require(events.last?.data))
        #expect(finished["id"]?.stringValue == id)
        #expect(finished["status"] == "succeeded")
        let steps = events.filter { $0.event == "stepFinished" }.compactMap { try? JSONValue(parsing: $0.data) }
        let run = try await client.send(.GET, "/v1/runs/\(id)")
        #expect(steps.count == run["steps"]?.arrayValue?.count)

        // A stream opened after the end is the final summary alone.
        let (_, late) = try await client.events("/v1/runs/\(id)/events")
        var lateEvents: [ServerSentEvent] = []
        for try await event in late { lateEvents.append(event) }
        #expect(lateEvents.map(\.event) == ["runFinished"])
        try await finance.shutdown()
        try await client.shutdown()
        try await server.stop()
    }

    @Test func cancellingARunStopsItAndIsRecorded() async throws {
        let server = try await ServerProcess(arguments: ["--speed", "0.05"])
        let client = server.client(server.tokens.service)
        let accepted = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review"))
        let id = try #require(accepted["id"]?.stringValue)
        let cancelled = try await client.send(.POST, "/v1/runs/\(id)/cancel")
        #expect(cancelled.status == 200, "\(cancelled.text)")
        #expect(cancelled["status"] == "cancelled")
        let again = try await client.send(.POST, "/v1/runs/\(id)/cancel")
        #expect(again.status == 409)
        #expect(again.code == "run_not_active")
        let unknown = try await client.send(.POST, "/v1/runs/run_nope/cancel")
        #expect(unknown.status == 409 || unknown.status == 404)
        #expect(try await client.send(.GET, "/v1/runs/run_nope").status == 404)
        try await client.shutdown()
        try await server.stop()
        // Nothing left reserved, and the run is not resumed on the next start.
        let ledger = try SQLiteLedger(path: server.ledgerPath)
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.unfinishedSubmissions().isEmpty)
    }

    @Test func aFullQueueAnswers429WithRetryAfter() async throws {
        let server = try await ServerProcess(arguments: ["--speed", "0.05", "--max-active-runs", "1", "--max-queued-runs", "1"])
        let client = server.client(server.tokens.service)
        let first = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review"))
        let second = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review"))
        let third = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review"))
        #expect(first["status"] == "running")
        #expect(second.status == 202)
        #expect(second["status"] == "queued")
        #expect(third.status == 429)
        #expect(third.code == "queue_full")
        #expect(third.header("Retry-After") == "1")
        let health = try await client.send(.GET, "/healthz")
        #expect(health["running"] == 1)
        #expect(health["queued"] == 1)
        // The stored runs say the same: the one started at once was stored as running.
        let queuedID = try #require(second["id"]?.stringValue)
        let firstID = try #require(first["id"]?.stringValue)
        func listed(_ status: String) async throws -> [String] {
            let page = try await client.send(.GET, "/v1/runs?status=\(status)")
            return (page["runs"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        }
        #expect(try await listed("running") == [firstID])
        #expect(try await listed("queued") == [queuedID])
        // Cancelling the queued run makes room again.
        #expect(try await client.send(.POST, "/v1/runs/\(queuedID)/cancel")["status"] == "cancelled")
        let fourth = try await client.send(.POST, "/v1/runs", json: API.runBody("contract-review"))
        #expect(fourth.status == 202)
        try await client.shutdown()
        try await server.kill9()
    }

    @Test func aRunsOwnBudgetRefusesItOrStopsIt() async throws {
        let server = try await ServerProcess()
        let client = server.client(server.tokens.service)
        let refused = try await client.send(
            .POST, "/v1/runs", json: API.runBody("support-triage", budget: ["limit": "0.000010"]))
        #expect(refused.status == 422, "\(refused.text)")
        #expect(refused.code == "budget_exceeded")
        let refusedID = try #require(refused["runID"]?.stringValue)
        #expect(try await client.send(.GET, "/v1/runs/\(refusedID)")["status"] == "failed")

        let stopped = try await client.send(
            .POST, "/v1/runs?wait=true",
            json: API.runBody("contract-review", budget: ["limit": "0.000300", "policy": "stop"]))
        #expect(stopped.status == 200)
        #expect(stopped["status"] == "failed")
        #expect(stopped["error"]?["code"] == "budgetExceeded")
        let spent = try Money(parsing: try #require(stopped["totals"]?["cost"]?.stringValue))
        #expect(spent <= Money(micros: 300))
        try await client.shutdown()
        try await server.stop()
    }
}
