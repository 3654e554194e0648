import Foundation
import Hummingbird
import Purser
import PurserSQLite

/// `/v1/runs`: trigger, read, list, cancel and watch runs.
extension PurserAPI {
    func addRunRoutes(to routes: Routes) {
        routes.on(.post, "/v1/runs") { request, context in
            _ = try context.require(Permission.runs, to: "starting a run")
            try request.rejectUnknownQuery(known: ["wait"])
            let wait = try Self.flag(request, "wait")
            let body = try await JSONRequest.object(request, limit: bodyLimit)
            let accepted = try await manager.submit(try RunRequest(body))
            guard wait else {
                return try JSONResponse.make(
                    RunAccepted(id: accepted.id, status: accepted.status, estimate: accepted.estimate, created: accepted.created),
                    status: accepted.created ? .accepted : .ok, headers: [.location: "/v1/runs/\(accepted.id)"])
            }
            let location: HTTPFields = [.location: "/v1/runs/\(accepted.id)"]
            guard let finished = await manager.finish(of: accepted.id) else {
                // It had already ended (an idempotency key naming an earlier run).
                return JSONResponse.make(encoded: try await document(of: accepted.id), headers: location)
            }
            if finished.interrupted {
                throw APIProblem(
                    .serviceUnavailable, code: "shutting_down",
                    "the server is shutting down; run \(accepted.id) resumes when it starts again", retryAfter: 1,
                    extra: ["runID": accepted.id.rawValue])
            }
            return JSONResponse.make(encoded: finished.document, headers: location)
        }

        routes.on(.get, "/v1/runs") { request, context in
            _ = try context.require(Permission.read, to: "reading runs")
            try request.rejectUnknownQuery(known: ["status", "workflow", "limit", "cursor"])
            var status: RunStatus?
            if let text = request.query("status") {
                guard let parsed = RunStatus(rawValue: text) else {
                    throw APIProblem.badRequest(
                        "invalid_parameter",
                        "status must be one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
                }
                status = parsed
            }
            let limit = try Self.integer(request, "limit", in: 1...1000) ?? 50
            var cursor: Int64?
            if let text = request.query("cursor") {
                guard let parsed = Int64(text), parsed > 0 else {
                    throw APIProblem.badRequest("invalid_parameter", "cursor must be a value from nextCursor, got '\(text)'")
                }
                cursor = parsed
            }
            let page = try await Self.storage {
                try await ledger.runs(status: status, workflow: request.query("workflow"), limit: limit, cursor: cursor)
            }
            return try JSONResponse.make(RunList(runs: page.runs, nextCursor: page.nextCursor.map(String.init)))
        }

        routes.on(.get, "/v1/runs/:id") { request, context in
            _ = try context.require(Permission.read, to: "reading runs")
            try request.rejectUnknownQuery(known: [])
            return JSONResponse.make(encoded: try await document(of: try Self.runID(context)))
        }

        routes.on(.post, "/v1/runs/:id/cancel") { request, context in
            _ = try context.require(Permission.runs, to: "cancelling a run")
            try request.rejectUnknownQuery(known: [])
            let id = try Self.runID(context)
            guard await manager.cancel(id) else {
                let current = try await document(of: id)
                let status = (try? RunDocumentHead(current))?.status.rawValue ?? "unknown"
                throw APIProblem(
                    .conflict, code: "run_not_active", "run \(id) has already ended (\(status))",
                    extra: ["runStatus": status])
            }
            if let finished = await manager.finish(of: id) { return JSONResponse.make(encoded: finished.document) }
            return JSONResponse.make(encoded: try await document(of: id))
        }

        routes.on(.get, "/v1/runs/:id/events") { request, context in
            _ = try context.require(Permission.read, to: "watching runs")
            try request.rejectUnknownQuery(known: [])
            let id = try Self.runID(context)
            if let events = await manager.events(of: id) {
                return ServerSentEvents.response(events)
            }
            // Ended: the stream is its final summary at once.
            guard let summary = try await Self.storage({ try await ledger.run(id) }) else {
                throw APIProblem.notFound("unknown_run", "no run \(id)")
            }
            return ServerSentEvents.response(ended: summary)
        }
    }

    /// The run as it is now, live or ended, as its ``RunView`` JSON; 404 if no such run is known.
    func document(of id: RunID) async throws(APIProblem) -> Data {
        if let live = await manager.liveView(of: id) {
            do { return try RunView(live: live).encoded() } catch {
                throw APIProblem(.internalServerError, code: "encoding_failed", "could not encode the answer: \(error)")
            }
        }
        let ledger = ledger
        guard let stored = try await Self.storage({ try await RunView.storedDocument(id, in: ledger) }) else {
            throw APIProblem.notFound("unknown_run", "no run \(id)")
        }
        return stored
    }

    static func runID(_ context: PurserRequestContext) throws(APIProblem) -> RunID {
        guard let text = context.parameters.get("id"), !text.isEmpty, text.count <= 200 else {
            throw APIProblem.badRequest("invalid_parameter", "the run id is missing or too long")
        }
        return RunID(text)
    }

    static func flag(_ request: Request, _ name: String) throws(APIProblem) -> Bool {
        guard let text = request.query(name) else { return false }
        switch text {
        case "true", "1": return true
        case "false", "0": return false
        default: throw APIProblem.badRequest("invalid_parameter", "\(name) must be true or false, got '\(text)'")
        }
    }

    static func integer(_ request: Request, _ name: String, in range: ClosedRange<Int>) throws(APIProblem) -> Int? {
        guard let text = request.query(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw APIProblem.badRequest(
                "invalid_parameter", "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
        }
        return value
    }

    /// Runs a synchronous ledger-file read or write on a dispatch queue, never on the
    /// cooperative pool: it blocks its thread (waiting for a reader connection, or for the write
    /// lock), and two such waits on a two-thread pool would stall every task, including the
    /// ones that would free what they wait for.
    static func blockingStorage<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws(APIProblem) -> T {
        try await storage {
            try await withCheckedThrowingContinuation { continuation in
                blockingQueue.async { continuation.resume(with: Result { try body() }) }
            }
        }
    }

    private static let blockingQueue = DispatchQueue(label: "purser.api.blocking-storage", attributes: .concurrent)

    /// Runs a ledger-file read or write; a failure is a 500 naming what failed.
    static func storage<T: Sendable>(_ body: () async throws -> T) async throws(APIProblem) -> T {
        do { return try await body() } catch let problem as APIProblem { throw problem } catch {
            throw APIProblem(.internalServerError, code: "storage_failed", "the ledger file could not be read or written: \(error)")
        }
    }
}
