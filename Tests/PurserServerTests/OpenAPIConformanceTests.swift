import Foundation
import Purser
import PurserClient
import PurserTestKit
import Synchronization
import Testing
import Workflows

/// The server against its own OpenAPI document: every operation is driven with good and bad
/// requests over the socket of a real `purser serve`, every exchange is recorded, and
/// `validate_openapi.py` checks each one against the document the server serves (status
/// declared, content type declared, body valid against the schema, request bodies as strict as
/// the server).
///
/// Each test ends cleanly whatever fails: ``Driver/session(_:_:)`` cancels the runs a test holds
/// with a `pause` budget, shuts the clients down and stops the server even when a step throws,
/// and a watchdog cancels held runs that are still held long after they should have been
/// released (a failed request that was to release them would otherwise leave the run, and every
/// event stream watching it, waiting forever).
@Suite("Server: OpenAPI conformance")
struct OpenAPIConformanceTests {
    @Test(.timeLimit(.minutes(5)))
    func theDocumentIsServedWithoutATokenAndIsTheRepositorysFile() async throws {
        try await Driver.session(try await ServerProcess()) { driver in
            let anonymous = driver.anonymous
            let served = try await anonymous.send(.GET, "/openapi.json")
            #expect(served.status == 200)
            #expect(served.header("Content-Type")?.hasPrefix("application/json") == true)
            let repository = try Data(contentsOf: Self.repositoryDocument)
            #expect(served.body == Array(repository), "the served document differs from \(Self.repositoryDocument.path)")
            let document = try served.json()
            #expect(document["openapi"] == "3.1.0")
            #expect(document["components"]?["securitySchemes"]?["bearer"]?["scheme"] == "bearer")
            // A token is not needed, but one that is sent must be valid.
            let badToken = try await anonymous.send(.GET, "/openapi.json", token: "not-a-token")
            #expect(badToken.status == 401)
            #expect(badToken.header("WWW-Authenticate") == "Bearer")
        }
    }

    @Test(.timeLimit(.minutes(5)))
    func everyAnswerOfEveryOperationConformsToTheDocument() async throws {
        let (served, lines) = try await Driver.session(try await ServerProcess()) { driver in
            let served = try await driver.anonymous.send(.GET, "/openapi.json")
            try #require(served.status == 200)

            try await driver.systemRoutes()
            try await driver.workflowRoutes()
            let runs = try await driver.runRoutes()
            try await driver.liveRuns()
            try await driver.budgetRoutes()
            try await driver.badRequests(endedRun: runs.endedRun)
            try await driver.authentication(endedRun: runs.endedRun)
            return (served.body, driver.log.lines)
        }
        try await Self.validate(document: served, lines, atLeast: 250)
    }

    /// A server with one slot and one queue place: queued runs, a full queue (429) and, while it
    /// drains for shutdown, 503s.
    @Test(.timeLimit(.minutes(5)))
    func queueAndShutdownAnswersConformToTheDocument() async throws {
        let server = try await ServerProcess(arguments: [
            "--speed", "instant", "--max-active-runs", "1", "--max-queued-runs", "1", "--grace", "5",
        ])
        let (served, lines) = try await Driver.session(server) { driver in
            let served = try await driver.anonymous.send(.GET, "/openapi.json")
            try #require(served.status == 200)
            try await driver.queueAndDrain()
            return (served.body, driver.log.lines)
        }
        try await Self.validate(document: served, lines, atLeast: 8)
    }

    // MARK: Validation

    static var repositoryDocument: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/PurserServer/Resources/openapi.json")
    }

    /// Runs `validate_openapi.py` over the exchanges, against the document as served; every
    /// recorded exchange must have been checked.
    static func validate(
        document: [UInt8], _ lines: [String], atLeast minimum: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(lines.count >= minimum, "only \(lines.count) exchanges were recorded", sourceLocation: sourceLocation)
        let folder = try TemporaryDirectory(prefix: "purser-openapi")
        let spec = folder.url.appendingPathComponent("openapi.json")
        try Data(document).write(to: spec)
        let exchanges = try folder.write("exchanges.jsonl", lines.joined(separator: "\n") + "\n")
        // To look at (or break) the exchanges by hand: PURSER_OPENAPI_EXCHANGES=/some/folder swift test ...
        if let keep = ProcessInfo.processInfo.environment["PURSER_OPENAPI_EXCHANGES"] {
            let copy = URL(fileURLWithPath: keep).appendingPathComponent("exchanges-\(lines.count).jsonl")
            try? FileManager.default.removeItem(at: copy)
            try FileManager.default.copyItem(at: exchanges, to: copy)
        }
        let script = try #require(
            Bundle.module.url(forResource: "validate_openapi", withExtension: "py"), sourceLocation: sourceLocation)
        let arguments = [script.path, spec.path, exchanges.path, String(lines.count)]
        let validation = try await ChildProcess.run(try await TestPython.interpreter(), arguments)
        let (status, output) = (validation.status, validation.stdout + validation.stderr)
        #expect(status == 0, "validate_openapi.py failed (exit \(status)):\n\(output)", sourceLocation: sourceLocation)
        #expect(output.contains("checked \(lines.count) exchanges"), "\(output)", sourceLocation: sourceLocation)
        withExtendedLifetime(folder) {}
    }
}

/// The exchanges recorded so far, one JSON object per line, as `validate_openapi.py` reads them.
private final class ExchangeLog: Sendable {
    private let state = Mutex<[String]>([])
    var lines: [String] { state.withLock { $0 } }
    func append(_ line: String) { state.withLock { $0.append(line) } }
}

/// Runs a test holds with a `pause` budget: cancelled when the test is done with the server,
/// however it ends, so no run (and no event stream) is left waiting for a cap nobody raises.
private final class HeldRuns: Sendable {
    private let state = Mutex<Set<String>>([])
    var ids: [String] { state.withLock { $0.sorted() } }
    func hold(_ id: String) { _ = state.withLock { $0.insert(id) } }
    func release(_ id: String) { _ = state.withLock { $0.remove(id) } }
}

/// Drives one server with a client per role and records every exchange.
private struct Driver: Sendable {
    let server: ServerProcess
    let service: PurserClient
    let finance: PurserClient
    let admin: PurserClient
    let anonymous: PurserClient
    let log = ExchangeLog()
    let holds = HeldRuns()

    init(server: ServerProcess) {
        self.server = server
        service = server.client(server.tokens.service)
        finance = server.client(server.tokens.finance)
        admin = server.client(server.tokens.admin)
        anonymous = server.client(nil)
    }

    /// Runs `body` with a driver of `server`, then, however `body` ends (returning, throwing
    /// after a failed `#require`), cancels the runs it still holds, shuts the clients down (an
    /// async-http-client that is not shut down traps when it goes away) and stops the server.
    static func session<T: Sendable>(
        _ server: ServerProcess, _ body: (Driver) async throws -> T
    ) async throws -> T {
        let driver = Driver(server: server)
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body(driver)) } catch { outcome = .failure(error) }
        await driver.cancelHeldRuns()
        var cleanup: (any Error)?
        do { try await driver.shutdown() } catch { cleanup = error }
        if server.isRunning {
            do { try await server.stop() } catch { cleanup = cleanup ?? error }
        }
        let value = try outcome.get()
        if let cleanup { throw cleanup }
        return value
    }

    func shutdown() async throws {
        for client in [service, finance, admin, anonymous] { try await client.shutdown() }
    }

    /// Cancels every run still held (not recorded: this is cleanup, not conformance).
    func cancelHeldRuns() async {
        for id in holds.ids {
            _ = try? await admin.send(.POST, "/v1/runs/\(id)/cancel")
            holds.release(id)
        }
    }

    /// Cancels the held runs if any is still held after `limit`, and says so: a request that was
    /// to release one and failed would otherwise leave the run paused, and everything waiting
    /// for it (its event streams, a cancel) waiting forever. Cancel the task when done.
    func watchdog(after limit: Duration) -> Task<Void, Never> {
        Task {
            do { try await Task.sleep(for: limit) } catch { return }
            let ids = holds.ids
            guard !ids.isEmpty else { return }
            Issue.record("runs \(ids) were still held after \(limit); cancelling them so the test can end")
            await cancelHeldRuns()
        }
    }

    /// What sending a request leaves to check: the answer and its problem code, if it is one.
    struct Answer: Sendable {
        var response: ClientResponse
        var json: JSONValue?
        var status: Int { response.status }
        var code: String? { json?["code"]?.stringValue }
        subscript(_ key: String) -> JSONValue? { json?[key] }
    }

    /// Sends a request, records the exchange and expects `status` (and the problem `code`).
    /// `template` is the path as the document names it; `response` names a
    /// `components.responses` entry for requests the document has no operation for.
    @discardableResult
    func call(
        _ client: PurserClient, _ method: String, _ path: String, template: String? = nil, body: String? = nil,
        raw: [UInt8]? = nil, contentType: String? = "application/json", headers: [(String, String)] = [], token: String?? = .none,
        expect status: Int?, code: String? = nil, response: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> Answer {
        let answer = try await client.send(
            .init(rawValue: method), path, body: raw ?? body.map { Array($0.utf8) }, contentType: contentType,
            headers: headers, token: token)
        let template = template ?? path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        var exchange: [String: JSONValue] = [
            "method": .string(method),
            "path": .string(template),
            "status": .number(Double(answer.status)),
            "contentType": answer.header("Content-Type").map(JSONValue.string) ?? .null,
            "body": .string(answer.text),
            "headers": .object(
                Dictionary(answer.headers.map { ($0.0.lowercased(), JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })),
        ]
        if let body, raw == nil, contentType != nil, body.utf8.count <= 65_536 {
            exchange["request"] = .object(["contentType": contentType.map(JSONValue.string) ?? .null, "body": .string(body)])
        }
        if let response { exchange["response"] = .string(response) }
        log.append(JSONValue.object(exchange).compactJSON)

        let json = try? answer.json()
        let result = Answer(response: answer, json: json)
        if let status {
            #expect(
                answer.status == status, "\(method) \(path): expected \(status), got \(answer.status): \(answer.text.prefix(600))",
                sourceLocation: sourceLocation)
        }
        if let code {
            #expect(result.code == code, "\(method) \(path): \(answer.text.prefix(600))", sourceLocation: sourceLocation)
        }
        // Every error is a problem document, but for the health check's own 503 (a Health document).
        if answer.status >= 400, template != "/healthz" || answer.status != 503 {
            #expect(
                answer.header("Content-Type") == "application/problem+json", "\(method) \(path): an error that is no problem document",
                sourceLocation: sourceLocation)
            #expect(
                result["status"] == .number(Double(answer.status)), "\(method) \(path): \(answer.text.prefix(600))",
                sourceLocation: sourceLocation)
        }
        if answer.status == 401 {
            #expect(
                answer.header("WWW-Authenticate") == "Bearer", "\(method) \(path): a 401 without WWW-Authenticate",
                sourceLocation: sourceLocation)
        }
        return result
    }

    /// Model calls as `RunTotals` counts them: finished model and agent-loop steps, whether the
    /// run is live or has ended.
    func expectTotalsCountModelCalls(_ run: Answer, sourceLocation: SourceLocation = #_sourceLocation) {
        let kinds = run["steps"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
        let modelCalls = kinds.filter { $0 == "model" || $0 == "agentLoop" }.count
        let toolCalls = kinds.filter { $0 == "tool" }.count
        #expect(
            run["totals"]?["modelCalls"] == .number(Double(modelCalls)), "\(run.response.text.prefix(600))",
            sourceLocation: sourceLocation)
        #expect(run["totals"]?["toolCalls"] == .number(Double(toolCalls)), sourceLocation: sourceLocation)
    }

    func json(_ value: JSONValue) -> String { value.compactJSON }

    static func input(_ workflow: String) -> JSONValue {
        ExampleWorkflows.named(workflow)?.exampleInput ?? .object([:])
    }

    static func runBody(_ workflow: String, tags: [String: String] = [:], extra: [String: JSONValue] = [:]) -> String {
        var body: [String: JSONValue] = ["workflow": .string(workflow), "input": input(workflow)]
        if !tags.isEmpty { body["tags"] = .object(tags.mapValues(JSONValue.string)) }
        for (key, value) in extra { body[key] = value }
        return JSONValue.object(body).compactJSON
    }

    // MARK: System

    func systemRoutes() async throws {
        let health = try await call(anonymous, "GET", "/healthz", expect: 200)
        #expect(health["status"] == "ok")
        try await call(service, "GET", "/healthz", expect: 200)
        let metrics = try await call(finance, "GET", "/metrics", expect: 200)
        #expect(metrics.response.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.response.text.contains("purser_http_requests_total"))
        try await call(anonymous, "GET", "/openapi.json", expect: 200)
        try await call(service, "GET", "/openapi.json", expect: 200)
    }

    // MARK: Workflows and tiers

    func workflowRoutes() async throws {
        let list = try await call(finance, "GET", "/v1/workflows", expect: 200)
        let names = list["workflows"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Set(names) == Set(ExampleWorkflows.all.map(\.name)))
        for workflow in ExampleWorkflows.all {
            let described = try await call(
                service, "GET", "/v1/workflows/\(workflow.name)", template: "/v1/workflows/{name}", expect: 200)
            #expect(described["exampleInput"] == workflow.exampleInput)
            #expect(described["steps"]?.arrayValue?.isEmpty == false)
            // An empty body estimates the example input; a body may give the input and samples.
            let estimate = try await call(
                service, "POST", "/v1/workflows/\(workflow.name)/estimate", template: "/v1/workflows/{name}/estimate",
                expect: 200)
            #expect(estimate["workflow"] == .string(workflow.name))
            try await call(
                admin, "POST", "/v1/workflows/\(workflow.name)/estimate", template: "/v1/workflows/{name}/estimate",
                body: json(["input": workflow.exampleInput, "samples": 50]), expect: 200)
        }
        try await call(
            service, "POST", "/v1/workflows/executive-brief/estimate", template: "/v1/workflows/{name}/estimate", body: "",
            expect: 200)
        try await call(service, "GET", "/v1/workflows/nope", template: "/v1/workflows/{name}", expect: 404, code: "unknown_workflow")
        try await call(
            service, "POST", "/v1/workflows/nope/estimate", template: "/v1/workflows/{name}/estimate", expect: 404,
            code: "unknown_workflow")
        let tiers = try await call(finance, "GET", "/v1/tiers", expect: 200)
        #expect(tiers["tiers"]?.arrayValue?.isEmpty == false)
    }

    // MARK: Runs

    /// Runs every example to its end, reads, lists and watches them; returns an ended run's id.
    func runRoutes() async throws -> (endedRun: String, refusedRun: String) {
        var ended: [String] = []
        for workflow in ExampleWorkflows.all {
            let run = try await call(
                service, "POST", "/v1/runs?wait=true", body: Self.runBody(workflow.name, tags: ["team": "conformance"]),
                expect: 200)
            #expect(run["status"] == "succeeded", "\(run.response.text.prefix(600))")
            let id = try #require(run["id"]?.stringValue)
            #expect(run.response.header("Location") == "/v1/runs/\(id)")
            expectTotalsCountModelCalls(run)
            ended.append(id)
        }
        let endedRun = ended[0]

        // Accepted without waiting (202), then again under its idempotency key (200, not created).
        let body = Self.runBody("executive-brief", extra: ["idempotencyKey": "conformance-1", "tags": ["team": "keys"]])
        let accepted = try await call(service, "POST", "/v1/runs", body: body, expect: 202)
        #expect(accepted["created"] == true)
        let id = try #require(accepted["id"]?.stringValue)
        #expect(accepted.response.header("Location") == "/v1/runs/\(id)")
        let replay = try await call(admin, "POST", "/v1/runs", body: body, expect: 200)
        #expect(replay["created"] == false)
        #expect(replay["id"] == .string(id))
        #expect(replay.response.header("Location") == "/v1/runs/\(id)")
        let waited = try await call(service, "POST", "/v1/runs?wait=1", body: body, expect: 200)
        #expect(waited["id"] == .string(id))
        #expect(waited["steps"] != nil)
        #expect(waited.response.header("Location") == "/v1/runs/\(id)")
        try await call(service, "POST", "/v1/runs?wait=false", body: body, expect: 200)
        let reused = try await call(
            service, "POST", "/v1/runs",
            body: json([
                "workflow": "executive-brief", "input": ["findings": "other", "audience": "board"],
                "idempotencyKey": "conformance-1",
            ]),
            expect: 409, code: "idempotency_key_reused")
        #expect(reused["runID"] == .string(id))

        // Refused at admission by its own reject budget: 422 naming the run, recorded as failed.
        let refused = try await call(
            service, "POST", "/v1/runs",
            body: Self.runBody("executive-brief", extra: ["budget": ["limit": "0.000001", "policy": "reject"]]),
            expect: 422, code: "budget_exceeded")
        let refusedRun = try #require(refused["runID"]?.stringValue)
        let failed = try await call(service, "GET", "/v1/runs/\(refusedRun)", template: "/v1/runs/{id}", expect: 200)
        #expect(failed["status"] == "failed")
        #expect(failed["error"]?["code"] == "budgetExceeded")
        // A stop budget lets it start, and fails the call that does not fit.
        let stopped = try await call(
            service, "POST", "/v1/runs?wait=true",
            body: Self.runBody(
                "contract-review", extra: ["budget": ["limit": "0.000300", "tokenLimit": 100_000, "policy": "stop"]]),
            expect: 200)
        #expect(stopped["status"] == "failed")

        // Read back, listed, paged and filtered.
        for run in ended + [id] {
            let view = try await call(finance, "GET", "/v1/runs/\(run)", template: "/v1/runs/{id}", expect: 200)
            expectTotalsCountModelCalls(view)
            let events = try await call(
                finance, "GET", "/v1/runs/\(run)/events", template: "/v1/runs/{id}/events", expect: 200)
            #expect(events.response.header("Content-Type") == "text/event-stream")
        }
        try await call(finance, "GET", "/v1/runs", expect: 200)
        let page = try await call(service, "GET", "/v1/runs?limit=2", expect: 200)
        #expect(page["runs"]?.arrayValue?.count == 2)
        let cursor = try #require(page["nextCursor"]?.stringValue)
        try await call(service, "GET", "/v1/runs?limit=2&cursor=\(cursor)", expect: 200)
        let failures = try await call(service, "GET", "/v1/runs?status=failed&workflow=executive-brief", expect: 200)
        #expect(failures["runs"]?.arrayValue?.contains { $0["id"] == .string(refusedRun) } == true)
        try await call(service, "GET", "/v1/runs?status=succeeded&limit=1000", expect: 200)
        try await call(service, "GET", "/v1/runs?workflow=nope", expect: 200)

        // Cancelling a run that has ended is a conflict.
        let again = try await call(
            service, "POST", "/v1/runs/\(endedRun)/cancel", template: "/v1/runs/{id}/cancel", expect: 409,
            code: "run_not_active")
        #expect(again["status"] == 409)
        #expect(again["runStatus"] == "succeeded")
        for (method, suffix) in [("GET", ""), ("POST", "/cancel"), ("GET", "/events")] {
            try await call(
                service, method, "/v1/runs/run_nope\(suffix)", template: "/v1/runs/{id}\(suffix)", expect: 404,
                code: "unknown_run")
        }
        // A workflow the body names that does not exist is the body's problem (422, pointing at it);
        // one the path names is a resource that does not exist (404, in workflowRoutes).
        for query in ["", "?wait=true"] {
            let unknown = try await call(
                service, "POST", "/v1/runs\(query)", body: json(["workflow": "nope", "input": [:]]), expect: 422,
                code: "unknown_workflow")
            #expect(unknown["pointer"] == "$.workflow")
            #expect(unknown["runID"] == nil)
        }
        return (endedRun, refusedRun)
    }

    /// Runs held by a `pause` budget stay live: read live, watched live as they pause and
    /// resume, and cancelled. A held run is released by raising its cap (or cancelling it); if
    /// that fails, the watchdog (or the session's cleanup) cancels it, so that the streams
    /// watching it end and the test fails instead of waiting forever.
    func liveRuns() async throws {
        let watchdog = watchdog(after: .seconds(60))
        defer { watchdog.cancel() }
        for tag in ["hold-a", "hold-b"] {
            try await call(
                finance, "PUT", "/v1/budgets/tag:team=\(tag)", template: "/v1/budgets/{scope}",
                body: json(["period": "day", "limit": "0.000001", "policy": "pause", "reason": "hold runs for the conformance test"]),
                expect: 200)
        }
        let first = try await call(
            service, "POST", "/v1/runs", body: Self.runBody("executive-brief", tags: ["team": "hold-a"]), expect: 202)
        let held = try #require(first["id"]?.stringValue)
        holds.hold(held)

        // Watched live: the stream shows the pause while the run is paused, ...
        let (status, stream) = try await service.events("/v1/runs/\(held)/events")
        #expect(status == 200)
        var names: [String] = []
        var iterator = stream.makeAsyncIterator()
        while let event = try await iterator.next() {
            names.append(event.event)
            if event.event == "runPaused" { break }
        }
        #expect(names.last == "runPaused", "\(names)")
        let live = try await call(service, "GET", "/v1/runs/\(held)", template: "/v1/runs/{id}", expect: 200)
        #expect(live["status"] == "running")
        expectTotalsCountModelCalls(live)
        let health = try await call(anonymous, "GET", "/healthz", expect: 200)
        #expect(health["running"] == 1)
        // ... and a recorded stream opened now tells the whole story once the cap is raised. (Not
        // awaited on a failure path: the session's cleanup cancels the run, which ends it.)
        let driver = self
        let watch = Task {
            try await driver.call(driver.admin, "GET", "/v1/runs/\(held)/events", template: "/v1/runs/{id}/events", expect: 200)
        }
        try await Task.sleep(for: .seconds(1))
        let raised = try await call(
            finance, "PUT", "/v1/budgets/tag:team=hold-a", template: "/v1/budgets/{scope}",
            body: json(["period": "day", "limit": "10.00", "policy": "pause", "softThresholdPercent": 50, "admission": "worst"]),
            expect: 200)
        if raised.status != 200 { await cancelHeldRuns() }  // Nothing else would release it.
        while let event = try await iterator.next() { names.append(event.event) }
        holds.release(held)
        #expect(names.contains("runResumed") && names.last == "runFinished", "\(names)")
        let recorded = try await watch.value
        for name in ["runStarted", "stepStarted", "budgetAlert", "runPaused", "runResumed", "stepFinished", "runFinished"] {
            #expect(recorded.response.text.contains("event: \(name)\n"), "no \(name) in \(recorded.response.text.prefix(2000))")
        }
        let resumed = try await call(service, "GET", "/v1/runs/\(held)", template: "/v1/runs/{id}", expect: 200)
        #expect(resumed["status"] == "succeeded")
        expectTotalsCountModelCalls(resumed)

        // A held run cancelled: answered with the run, cancelled; cancelling again is a conflict
        // whose problem keeps its HTTP status and says how the run ended.
        let second = try await call(
            service, "POST", "/v1/runs", body: Self.runBody("executive-brief", tags: ["team": "hold-b"]), expect: 202)
        let cancelled = try #require(second["id"]?.stringValue)
        holds.hold(cancelled)
        try await Task.sleep(for: .milliseconds(200))
        let view = try await call(
            admin, "POST", "/v1/runs/\(cancelled)/cancel", template: "/v1/runs/{id}/cancel", expect: 200)
        #expect(view["status"] == "cancelled")
        if view.status == 200 { holds.release(cancelled) }
        let conflict = try await call(
            service, "POST", "/v1/runs/\(cancelled)/cancel", template: "/v1/runs/{id}/cancel", expect: 409, code: "run_not_active")
        #expect(conflict["status"] == 409)
        #expect(conflict["runStatus"] == "cancelled")
    }

    // MARK: Budgets, alerts, spend

    func budgetRoutes() async throws {
        // A soft threshold crossed by one run raises an alert.
        let set = try await call(
            finance, "PUT", "/v1/budgets/tag:team=alerts", template: "/v1/budgets/{scope}",
            body: json(["period": "day", "limit": "0.001", "softThresholdPercent": 1, "policy": "stop"]), expect: 200)
        #expect(set["change"]?["action"] == "set")
        try await call(
            service, "POST", "/v1/runs?wait=true", body: Self.runBody("executive-brief", tags: ["team": "alerts"]), expect: 200)
        let budgets: [(String, JSONValue)] = [
            (
                "global",
                [
                    "period": "month", "limit": "1000", "tokenLimit": 1_000_000_000, "softThresholdPercent": 80, "admission": "p95",
                    "reason": "monthly cap",
                ]
            ),
            ("workflow%3Aexecutive-brief", ["period": "day", "tokenLimit": 5_000_000, "policy": "degrade"]),
            ("workflow:contract-review", ["scope": "workflow:contract-review", "period": "day", "limit": "25"]),
            ("workflow:support-triage", ["period": "month", "limit": "250.50", "policy": "reject", "admission": "worst"]),
            ("run", ["period": "run", "limit": ".5"]),
            ("tag:team=support", ["period": "month", "limit": "500.00", "policy": "pause"]),
        ]
        for (scope, body) in budgets {
            try await call(admin, "PUT", "/v1/budgets/\(scope)", template: "/v1/budgets/{scope}", body: json(body), expect: 200)
        }
        // Set again: the change holds the old budget and the new.
        let replaced = try await call(
            finance, "PUT", "/v1/budgets/global", template: "/v1/budgets/{scope}",
            body: json(["period": "month", "limit": "2000.00"]), expect: 200)
        #expect(replaced["change"]?["old"]?["limit"] == "1000.00")
        // A budget as read is a body the PUT takes, scope and all: it sets the same budget.
        let read = try #require(replaced["change"]?["old"])
        let restored = try await call(
            finance, "PUT", "/v1/budgets/global", template: "/v1/budgets/{scope}", body: json(read), expect: 200)
        #expect(restored["change"]?["new"] == read)
        let listed = try await call(service, "GET", "/v1/budgets", expect: 200)
        #expect((listed["budgets"]?.arrayValue?.count ?? 0) >= 7)

        let removed = try await call(
            finance, "DELETE", "/v1/budgets/run?period=run&reason=not%20needed", template: "/v1/budgets/{scope}", expect: 200)
        #expect(removed["action"] == "remove")
        try await call(admin, "DELETE", "/v1/budgets/workflow:support-triage?period=month", template: "/v1/budgets/{scope}", expect: 200)
        try await call(
            finance, "DELETE", "/v1/budgets/run?period=run", template: "/v1/budgets/{scope}", expect: 404, code: "unknown_budget")
        try await call(
            finance, "DELETE", "/v1/budgets/global?period=day", template: "/v1/budgets/{scope}", expect: 404, code: "unknown_budget")

        let history = try await call(finance, "GET", "/v1/budgets/history", expect: 200)
        #expect((history["changes"]?.arrayValue?.count ?? 0) >= 9)
        let alerts = try await call(service, "GET", "/v1/alerts", expect: 200)
        let kinds = Set(alerts["alerts"]?.arrayValue?.compactMap { $0["alert"]?["kind"]?.stringValue } ?? [])
        #expect(kinds == ["softThreshold", "hardCap"], "\(alerts.response.text.prefix(1000))")

        for query in ["", "?by=workflow", "?by=tag", "?by=tag:team", "?by=tier", "?by=day", "?from=2020-01-01&to=2099-12-31"] {
            let report = try await call(finance, "GET", "/v1/spend\(query)", expect: 200)
            if query.isEmpty { #expect(report["rows"]?.arrayValue?.isEmpty == false) }
        }
        let csv = try await call(
            admin, "GET", "/v1/spend?by=tier", headers: [("Accept", "text/csv")], expect: 200)
        #expect(csv.response.header("Content-Type")?.hasPrefix("text/csv") == true)
        let lines = csv.response.text.split(separator: "\n")
        #expect(
            lines.first
                == "group,cost,tokens,calls,runs,successful_runs,cost_per_run,cost_per_successful_run,reconciled_cost,reconciled_calls")
        #expect(lines.count > 1 && lines.allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 10 }, "\(lines)")
    }

    // MARK: Bad requests

    func badRequests(endedRun: String) async throws {
        let runs = "/v1/runs"
        let brief = Self.input("executive-brief")
        // Bodies: not JSON, not an object, empty, unknown, missing, wrong and out-of-range members.
        let runBodies: [(String, String)] = [
            ("{\"workflow\":", "invalid_json"),
            ("[]", "wrong_type"),
            ("\"executive-brief\"", "wrong_type"),
            (json(["workflow": "executive-brief", "inputs": brief]), "unknown_field"),
            (json(["input": brief]), "missing_field"),
            (json(["workflow": 5]), "wrong_type"),
            (json(["workflow": "executive-brief", "tags": ["team": 1]]), "wrong_type"),
            (json(["workflow": "executive-brief", "tags": "team=a"]), "wrong_type"),
            (json(["workflow": "executive-brief", "tags": ["team": ""]]), "invalid_value"),
            (json(["workflow": "executive-brief", "idempotencyKey": ""]), "invalid_value"),
            (json(["workflow": "executive-brief", "idempotencyKey": .string(String(repeating: "k", count: 201))]), "invalid_value"),
            (json(["workflow": "executive-brief", "idempotencyKey": 7]), "wrong_type"),
            (json(["workflow": "executive-brief", "budget": ["limit": 0.5]]), "wrong_type"),
            (json(["workflow": "executive-brief", "budget": ["limit": "abc"]]), "invalid_value"),
            (json(["workflow": "executive-brief", "budget": ["limit": "0.0000001"]]), "invalid_value"),
            (json(["workflow": "executive-brief", "budget": ["limit": "1", "policy": "pause"]]), "invalid_value"),
            (json(["workflow": "executive-brief", "budget": ["limit": "1", "period": "day"]]), "unknown_field"),
            (json(["workflow": "executive-brief", "budget": ["policy": "stop"]]), "invalid_value"),
            (json(["workflow": "executive-brief", "budget": ["tokens": 1000]]), "unknown_field"),
            (json(["workflow": "executive-brief", "budget": ["tokenLimit": 0]]), "out_of_range"),
            (json(["workflow": "executive-brief", "budget": ["tokenLimit": 1_000_000_000_001]]), "out_of_range"),
            (json(["workflow": "executive-brief", "budget": ["tokenLimit": 1.5]]), "wrong_type"),
            (json(["workflow": "executive-brief", "budget": ["tokenLimit": "1000"]]), "wrong_type"),
            (json(["workflow": "executive-brief", "budget": "0.50"]), "wrong_type"),
            (json(["workflow": "executive-brief", "input": ["findings": 5]]), "invalid_input"),
        ]
        for (body, code) in runBodies {
            try await call(service, "POST", runs, body: body, expect: 400, code: code)
        }
        try await call(service, "POST", runs, body: "", expect: 400, code: "missing_body")
        try await call(service, "POST", runs, raw: [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D], expect: 400, code: "invalid_utf8")
        let good = Self.runBody("executive-brief")
        try await call(service, "POST", "/v1/runs?wait=maybe", body: good, expect: 400, code: "invalid_parameter")
        try await call(service, "POST", "/v1/runs?dryRun=true", body: good, expect: 400, code: "unknown_parameter")
        // Content types: only JSON is read (415); no Content-Type at all is taken as JSON.
        try await call(service, "POST", runs, body: good, contentType: "text/plain", expect: 415, code: "unsupported_media_type")
        try await call(service, "POST", runs, body: good, contentType: "application/x-www-form-urlencoded", expect: 415)
        try await call(service, "POST", runs, body: good, contentType: "application/json; charset=utf-8", expect: 202)
        try await call(service, "POST", runs, body: good, contentType: nil, expect: 202)
        // Larger than the limit (1 MiB).
        let findings = JSONValue.string(String(repeating: "x", count: 1_100_000))
        let huge = json(["workflow": "executive-brief", "input": ["findings": findings, "audience": "all"]])
        for (client, method, path, template) in [
            (service, "POST", runs, runs), (service, "POST", "/v1/workflows/executive-brief/estimate", "/v1/workflows/{name}/estimate"),
            (finance, "PUT", "/v1/budgets/global", "/v1/budgets/{scope}"),
        ] {
            try await call(client, method, path, template: template, body: huge, expect: 413, code: "body_too_large")
        }

        // Estimates.
        let estimate = "/v1/workflows/executive-brief/estimate"
        let estimateTemplate = "/v1/workflows/{name}/estimate"
        let estimateBodies: [(String, String)] = [
            ("{", "invalid_json"),
            ("[1]", "wrong_type"),
            (json(["samples": 0]), "out_of_range"),
            (json(["samples": 10_001]), "out_of_range"),
            (json(["samples": "50"]), "wrong_type"),
            (json(["samples": 2.5]), "wrong_type"),
            (json(["seed": 1]), "unknown_field"),
            (json(["input": ["findings": "x"]]), "invalid_input"),
        ]
        for (body, code) in estimateBodies {
            try await call(service, "POST", estimate, template: estimateTemplate, body: body, expect: 400, code: code)
        }
        try await call(service, "POST", estimate, template: estimateTemplate, body: "{}", contentType: "text/plain", expect: 415)
        try await call(service, "POST", "\(estimate)?samples=5", template: estimateTemplate, expect: 400, code: "unknown_parameter")

        // Budgets.
        let budgetBodies: [(String, String, String)] = [
            ("global", "{", "invalid_json"),
            ("global", "[]", "wrong_type"),
            ("global", json(["limit": "10"]), "missing_field"),
            ("global", json(["period": "week", "limit": "10"]), "invalid_budget"),
            ("global", json(["period": "month", "limit": 10]), "wrong_type"),
            ("global", json(["period": "month", "limit": "ten"]), "invalid_value"),
            ("global", json(["period": "month", "limit": "0"]), "invalid_budget"),
            ("global", json(["period": "month"]), "invalid_budget"),
            ("global", json(["period": "month", "tokenLimit": 0]), "out_of_range"),
            ("global", json(["period": "month", "tokenLimit": 1_000_000_000_001]), "out_of_range"),
            ("global", json(["period": "month", "tokenLimit": 2.5]), "wrong_type"),
            ("global", json(["period": "month", "limit": "10", "softThresholdPercent": 100]), "out_of_range"),
            ("global", json(["period": "month", "limit": "10", "softThresholdPercent": 0]), "out_of_range"),
            ("global", json(["period": "month", "limit": "10", "softThresholdPercent": "50"]), "wrong_type"),
            // The names the body had before it took Budget's own.
            ("global", json(["period": "month", "tokens": 1000]), "unknown_field"),
            ("global", json(["period": "month", "limit": "10", "soft": 50]), "unknown_field"),
            ("global", json(["period": "month", "limit": "10", "policy": "panic"]), "invalid_budget"),
            ("global", json(["period": "month", "limit": "10", "admission": "p50"]), "invalid_budget"),
            ("global", json(["period": "month", "limit": "10", "reason": .string(String(repeating: "r", count: 501))]), "invalid_value"),
            ("global", json(["period": "month", "limit": "10", "scope": "workflow:executive-brief"]), "invalid_value"),
            ("tag:team=a", json(["period": "month", "limit": "10", "scope": "tag:team=b"]), "invalid_value"),
            ("global", json(["period": "month", "limit": "10", "scope": 1]), "wrong_type"),
            ("global", json(["period": "month", "limit": "10", "budgetScope": "global"]), "unknown_field"),
            ("global", json(["period": 1, "limit": "10"]), "wrong_type"),
            ("run", json(["period": "day", "limit": "10"]), "invalid_budget"),
            ("bogus", json(["period": "day", "limit": "10"]), "invalid_scope"),
            ("tag:team", json(["period": "day", "limit": "10"]), "invalid_scope"),
            ("workflow:", json(["period": "day", "limit": "10"]), "invalid_scope"),
        ]
        for (scope, body, code) in budgetBodies {
            try await call(finance, "PUT", "/v1/budgets/\(scope)", template: "/v1/budgets/{scope}", body: body, expect: 400, code: code)
        }
        try await call(finance, "PUT", "/v1/budgets/global", template: "/v1/budgets/{scope}", body: "", expect: 400, code: "missing_body")
        try await call(
            finance, "PUT", "/v1/budgets/global", template: "/v1/budgets/{scope}", body: json(["period": "day", "limit": "1"]),
            contentType: "text/yaml", expect: 415)
        try await call(
            finance, "PUT", "/v1/budgets/global?force=1", template: "/v1/budgets/{scope}", body: json(["period": "day", "limit": "1"]),
            expect: 400, code: "unknown_parameter")
        let deletions = [("", "missing_parameter"), ("?period=week", "invalid_parameter"), ("?period=day&why=x", "unknown_parameter")]
        for (query, code) in deletions {
            try await call(finance, "DELETE", "/v1/budgets/global\(query)", template: "/v1/budgets/{scope}", expect: 400, code: code)
        }
        try await call(
            finance, "DELETE", "/v1/budgets/nowhere?period=day", template: "/v1/budgets/{scope}", expect: 400, code: "invalid_scope")

        // Query parameters.
        let queries: [(String, String, String)] = [
            ("/v1/runs?status=done", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?limit=0", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?limit=1001", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?limit=ten", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?cursor=abc", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?cursor=0", "/v1/runs", "invalid_parameter"),
            ("/v1/runs?sort=asc", "/v1/runs", "unknown_parameter"),
            ("/v1/runs/\(endedRun)?verbose=1", "/v1/runs/{id}", "unknown_parameter"),
            ("/v1/runs/\(endedRun)/events?from=3", "/v1/runs/{id}/events", "unknown_parameter"),
            ("/v1/runs/\(String(repeating: "r", count: 201))", "/v1/runs/{id}", "invalid_parameter"),
            ("/v1/workflows?all=1", "/v1/workflows", "unknown_parameter"),
            ("/v1/workflows/executive-brief?steps=0", "/v1/workflows/{name}", "unknown_parameter"),
            ("/v1/tiers?x=1", "/v1/tiers", "unknown_parameter"),
            ("/v1/budgets?scope=global", "/v1/budgets", "unknown_parameter"),
            ("/v1/budgets/history?since=1", "/v1/budgets/history", "unknown_parameter"),
            ("/v1/alerts?since=1", "/v1/alerts", "unknown_parameter"),
            ("/v1/spend?by=team", "/v1/spend", "invalid_parameter"),
            ("/v1/spend?from=2026-13-01", "/v1/spend", "invalid_parameter"),
            ("/v1/spend?from=2026-02-30", "/v1/spend", "invalid_parameter"),
            ("/v1/spend?from=2026-05-02&to=2026-05-01", "/v1/spend", "invalid_parameter"),
            ("/v1/spend?group=tier", "/v1/spend", "unknown_parameter"),
            ("/metrics?format=json", "/metrics", "unknown_parameter"),
            ("/healthz?verbose=1", "/healthz", "unknown_parameter"),
        ]
        for (path, template, code) in queries {
            let client = template == "/v1/spend" ? finance : service
            try await call(client, "GET", path, template: template, expect: 400, code: code)
        }
        try await call(
            service, "POST", "/v1/runs/\(endedRun)/cancel?force=true", template: "/v1/runs/{id}/cancel", expect: 400,
            code: "unknown_parameter")

        // No such route: 404.
        for (method, path) in [("GET", "/v1/nope"), ("GET", "/v2/runs"), ("POST", "/v1"), ("GET", "/v1/runs/a/b/c"), ("DELETE", "/")] {
            try await call(service, method, path, expect: 404, code: "not_found", response: "NotFound")
        }
        try await call(anonymous, "GET", "/v1/nope", expect: 404, code: "not_found", response: "NotFound")
        // A route that does not take the method: 405, with the methods it takes (with or without a
        // token: the route decides who may call it only for a method it takes).
        let wrongMethods: [(PurserClient, String, String, String)] = [
            (service, "DELETE", "/v1/runs", "GET, POST"),
            (anonymous, "PUT", "/v1/runs", "GET, POST"),
            (service, "PATCH", "/v1/runs/\(endedRun)", "GET"),
            (finance, "DELETE", "/v1/runs/\(endedRun)", "GET"),
            (service, "GET", "/v1/runs/\(endedRun)/cancel", "POST"),
            (service, "POST", "/v1/runs/\(endedRun)/events", "GET"),
            (service, "PUT", "/v1/workflows", "GET"),
            (service, "DELETE", "/v1/workflows/executive-brief", "GET"),
            (service, "GET", "/v1/workflows/executive-brief/estimate", "POST"),
            (finance, "POST", "/v1/tiers", "GET"),
            (finance, "POST", "/v1/budgets", "GET"),
            (finance, "GET", "/v1/budgets/global", "DELETE, PUT"),
            (finance, "POST", "/v1/budgets/tag:team=a", "DELETE, PUT"),
            (finance, "DELETE", "/v1/alerts", "GET"),
            (finance, "POST", "/v1/spend", "GET"),
            (anonymous, "POST", "/healthz", "GET"),
            (finance, "DELETE", "/metrics", "GET"),
            (anonymous, "PUT", "/openapi.json", "GET"),
        ]
        for (client, method, path, allowed) in wrongMethods {
            let answer = try await call(
                client, method, path, expect: 405, code: "method_not_allowed", response: "MethodNotAllowed")
            #expect(answer.response.header("Allow") == allowed, "\(method) \(path)")
        }
        // `/v1/budgets/history` (GET) shadows `/v1/budgets/{scope}` (PUT, DELETE): only GET is
        // routed there, so that is all Allow may name.
        let shadowed = try await call(
            finance, "DELETE", "/v1/budgets/history?period=day", expect: 405, code: "method_not_allowed",
            response: "MethodNotAllowed")
        #expect(shadowed.response.header("Allow") == "GET")
    }

    // MARK: Authentication and roles

    func authentication(endedRun: String) async throws {
        let run = "/v1/runs/\(endedRun)"
        let protected: [(String, String, String, String?)] = [
            ("POST", "/v1/runs", "/v1/runs", Self.runBody("executive-brief")),
            ("GET", "/v1/runs", "/v1/runs", nil),
            ("GET", run, "/v1/runs/{id}", nil),
            ("POST", run + "/cancel", "/v1/runs/{id}/cancel", nil),
            ("GET", run + "/events", "/v1/runs/{id}/events", nil),
            ("GET", "/v1/workflows", "/v1/workflows", nil),
            ("GET", "/v1/workflows/executive-brief", "/v1/workflows/{name}", nil),
            ("POST", "/v1/workflows/executive-brief/estimate", "/v1/workflows/{name}/estimate", "{}"),
            ("GET", "/v1/tiers", "/v1/tiers", nil),
            ("GET", "/v1/budgets", "/v1/budgets", nil),
            ("PUT", "/v1/budgets/global", "/v1/budgets/{scope}", json(["period": "day", "limit": "5"])),
            ("DELETE", "/v1/budgets/global?period=month", "/v1/budgets/{scope}", nil),
            ("GET", "/v1/budgets/history", "/v1/budgets/history", nil),
            ("GET", "/v1/alerts", "/v1/alerts", nil),
            ("GET", "/v1/spend", "/v1/spend", nil),
            ("GET", "/metrics", "/metrics", nil),
        ]
        for (method, path, template, body) in protected {
            try await call(anonymous, method, path, template: template, body: body, expect: 401, code: "unauthorized")
            try await call(service, method, path, template: template, body: body, token: "not-a-token", expect: 401, code: "unauthorized")
        }
        for path in ["/v1/runs", "/healthz", "/openapi.json"] {
            try await call(
                anonymous, "GET", path, headers: [("Authorization", "Basic c2VydmljZTpzZWNyZXQ=")],
                expect: 401, code: "unauthorized")
        }
        try await call(anonymous, "GET", "/healthz", token: "not-a-token", expect: 401, code: "unauthorized")

        // Roles: runs and estimates are the service's, budgets and spend finance's; admin may do both.
        let serviceOnly: [(String, String, String, String?)] = [
            ("POST", "/v1/runs", "/v1/runs", Self.runBody("executive-brief")),
            ("POST", run + "/cancel", "/v1/runs/{id}/cancel", nil),
            ("POST", "/v1/workflows/executive-brief/estimate", "/v1/workflows/{name}/estimate", "{}"),
        ]
        for (method, path, template, body) in serviceOnly {
            try await call(finance, method, path, template: template, body: body, expect: 403, code: "forbidden")
        }
        let financeOnly: [(String, String, String, String?)] = [
            ("PUT", "/v1/budgets/global", "/v1/budgets/{scope}", json(["period": "day", "limit": "5"])),
            ("DELETE", "/v1/budgets/global?period=month", "/v1/budgets/{scope}", nil),
            ("GET", "/v1/spend", "/v1/spend", nil),
            ("GET", "/v1/spend?by=tier", "/v1/spend", nil),
        ]
        for (method, path, template, body) in financeOnly {
            try await call(service, method, path, template: template, body: body, expect: 403, code: "forbidden")
        }
        try await call(admin, "DELETE", "/v1/budgets/global?period=month", template: "/v1/budgets/{scope}", expect: 200)
        try await call(admin, "GET", "/v1/spend", expect: 200)
    }

    // MARK: Queue and shutdown

    func queueAndDrain() async throws {
        try await call(
            finance, "PUT", "/v1/budgets/tag:team=hold", template: "/v1/budgets/{scope}",
            body: json(["period": "day", "limit": "0.000001", "policy": "pause"]), expect: 200)
        let body = Self.runBody("executive-brief", tags: ["team": "hold"])
        let running = try await call(service, "POST", "/v1/runs", body: body, expect: 202)
        #expect(running["status"] == "running")
        if let id = running["id"]?.stringValue { holds.hold(id) }
        let queued = try await call(service, "POST", "/v1/runs", body: body, expect: 202)
        #expect(queued["status"] == "queued")
        let queuedID = try #require(queued["id"]?.stringValue)
        holds.hold(queuedID)
        let view = try await call(service, "GET", "/v1/runs/\(queuedID)", template: "/v1/runs/{id}", expect: 200)
        #expect(view["status"] == "queued")
        let full = try await call(service, "POST", "/v1/runs", body: body, expect: 429, code: "queue_full")
        #expect(full.response.header("Retry-After") == "1")
        #expect(full["retryAfter"] == 1)
        let health = try await call(anonymous, "GET", "/healthz", expect: 200)
        #expect(health["queued"] == 1)
        let cancelled = try await call(
            service, "POST", "/v1/runs/\(queuedID)/cancel", template: "/v1/runs/{id}/cancel", expect: 200)
        if cancelled.status == 200 { holds.release(queuedID) }

        // Draining (the held run keeps it draining for the grace period): 503s.
        let server = self.server
        let stopping = Task { try await server.stop() }
        do {
            var draining: ClientResponse?
            let deadline = ContinuousClock.now + .seconds(4)
            while ContinuousClock.now < deadline {
                let answer = try await anonymous.send(.GET, "/healthz")
                if answer.status == 503 {
                    draining = answer
                    break
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(draining != nil, "the server never answered /healthz with 503 while draining")
            if draining != nil {
                let health = try await call(anonymous, "GET", "/healthz", expect: 503)
                #expect(health["status"] == "draining")
                let refused = try await call(service, "POST", "/v1/runs", body: body, expect: 503, code: "shutting_down")
                #expect(refused.response.header("Retry-After") != nil)
            }
        } catch {
            _ = try? await stopping.value  // Not stopped twice by the session's cleanup.
            throw error
        }
        // The drain's grace period ends the held run (it resumes on a restart); nothing to cancel.
        _ = try await stopping.value
        for id in holds.ids { holds.release(id) }
    }
}
