import Foundation
import Hummingbird
import Purser

/// `/healthz`, `/metrics`, `/openapi.json`.
extension PurserAPI {
    func addSystemRoutes(to routes: Routes) {
        // No token needed: a supervisor checks liveness without secrets.
        routes.on(.get, "/healthz") { request, _ in
            try request.rejectUnknownQuery(known: [])
            let counts = await manager.counts
            return JSONResponse.make(
                json: .object([
                    "status": .string(counts.draining ? "draining" : "ok"),
                    "running": .number(Double(counts.running)),
                    "queued": .number(Double(counts.queued)),
                ]), status: counts.draining ? .serviceUnavailable : .ok)
        }

        routes.on(.get, "/metrics") { request, context in
            _ = try context.require(Permission.read, to: "reading metrics")
            try request.rejectUnknownQuery(known: [])
            let counts = await manager.counts
            let budgets = (try? await Self.blockingStorage { try ledger.budgetStatuses() }) ?? []
            metrics.snapshot(
                running: counts.running, queued: counts.queued, budgets: budgets, logRestarts: ledger.logRestarts)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.render())))
        }

        // The API's own description, needing no token, so clients can be generated from it.
        routes.on(.get, "/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: openAPIDocument))
        }
    }
}
