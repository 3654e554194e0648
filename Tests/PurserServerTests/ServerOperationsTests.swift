import Foundation
import Purser
import PurserClient
import Testing

/// Health, metrics and the protections against slow or oversized clients.
@Suite("Server: health, metrics, limits")
struct ServerOperationsTests {
    @Test func metricsCountRunsStepsTokensCostLedgerLatencyAndBudgetLeft() async throws {
        let server = try await ServerProcess()
        let finance = server.client(server.tokens.finance)
        _ = try await finance.send(.PUT, "/v1/budgets/global", json: ["period": "month", "limit": "10.00"])
        let service = server.client(server.tokens.service)
        let run = try await service.send(.POST, "/v1/runs?wait=true", json: API.runBody("executive-brief"))
        #expect(run["status"] == "succeeded")
        let tier = try #require(run["steps"]?.arrayValue?.first?["tierID"]?.stringValue)
        let cost = try Money(parsing: try #require(run["totals"]?["cost"]?.stringValue))
        let metrics = try await service.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        let text = metrics.text
        let lines = text.split(separator: "\n").map(String.init)
        func value(_ prefix: String) -> Double? {
            lines.first { $0.hasPrefix(prefix) }.flatMap { $0.split(separator: " ").last.flatMap { Double($0) } }
        }
        #expect(value(#"purser_runs_finished_total{workflow="executive-brief",status="succeeded"}"#) == 1, "\(text)")
        #expect(value(#"purser_steps_total{workflow="executive-brief",tier="\#(tier)",kind="model",status="succeeded"}"#) == 1)
        #expect(value(#"purser_cost_micros_total{workflow="executive-brief",tier="\#(tier)"}"#) == Double(cost.micros))
        #expect((value(#"purser_tokens_total{workflow="executive-brief",tier="\#(tier)",direction="output"}"#) ?? 0) > 0)
        #expect((value(#"purser_ledger_operation_seconds_count{operation="reserve"}"#) ?? 0) >= 1, "\(text)")
        #expect(value(#"purser_budget_left_micros{budget="global/month"}"#) == Double(10_000_000 - cost.micros))
        #expect(value("purser_runs_running") == 0)
        // One run writes far less than a log's worth: no restart yet.
        #expect(value("purser_ledger_log_restarts") == 0)
        #expect(value("purser_ledger_log_restart_longest_seconds") == 0)
        try await finance.shutdown()
        try await service.shutdown()
        try await server.stop()
    }

    @Test func aClientThatStopsMidRequestIsDisconnectedAndOthersAreServed() async throws {
        let server = try await ServerProcess(config: "server:\n  idle_timeout_seconds: 1\n")
        let path = server.socketPath
        let closed = try await offThePoolResult {
            let slow = try RawHTTPConnection(socketPath: path, timeout: .seconds(10))
            try slow.send(Array("GET /healthz HTTP/1.1\r\nHost: pur".utf8))
            let started = ContinuousClock.now
            let response = try? slow.readResponse()
            return (response == nil || response?.status == 408 || response?.status == 400, ContinuousClock.now - started)
        }
        #expect(closed.0, "the half-sent request was answered as if complete")
        #expect(closed.1 < .seconds(9), "not closed by the idle timeout: \(closed.1)")
        let client = server.client(nil)
        #expect(try await client.send(.GET, "/healthz").status == 200)
        try await client.shutdown()
        try await server.stop()
    }

    @Test func aBodyOverTheLimitIs413AndStartsNothing() async throws {
        let server = try await ServerProcess(config: "server:\n  max_body_bytes: 2048\n")
        let client = server.client(server.tokens.service)
        let big = API.runBody("executive-brief", input: ["findings": .string(String(repeating: "x", count: 4096)), "audience": "all"])
        let response = try await client.send(.POST, "/v1/runs", json: big)
        #expect(response.status == 413)
        #expect(response.code == "body_too_large")
        #expect(try await client.send(.GET, "/v1/runs")["runs"]?.arrayValue?.isEmpty == true)
        try await client.shutdown()
        try await server.stop()
    }
}

/// Blocking work on a thread of its own, returning its result.
func offThePoolResult<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
