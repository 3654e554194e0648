import Foundation
import Hummingbird
import Purser

/// `/v1/workflows` and `/v1/tiers`: what can be run, on what, and what it would cost.
extension PurserAPI {
    func addWorkflowRoutes(to routes: Routes) {
        routes.on(.get, "/v1/workflows") { request, context in
            _ = try context.require(Permission.read, to: "reading workflows")
            try request.rejectUnknownQuery(known: [])
            let graphs = manager.workflows.values.sorted { $0.name < $1.name }
            return JSONResponse.make(json: .object(["workflows": .array(graphs.map { Self.summary($0) })]))
        }

        routes.on(.get, "/v1/workflows/:name") { request, context in
            _ = try context.require(Permission.read, to: "reading workflows")
            try request.rejectUnknownQuery(known: [])
            let graph = try manager.graph(named: context.parameters.get("name") ?? "")
            var description = Self.summary(graph)
            if case .object(var members) = description {
                members["steps"] = (try? JSONValue.encoding(graph.steps)) ?? .array([])
                description = .object(members)
            }
            return JSONResponse.make(json: description)
        }

        routes.on(.post, "/v1/workflows/:name/estimate") { request, context in
            _ = try context.require(Permission.runs, to: "estimating a run")
            try request.rejectUnknownQuery(known: [])
            let graph = try manager.graph(named: context.parameters.get("name") ?? "")
            let body = try await JSONRequest.object(request, limit: bodyLimit, emptyIsObject: true)
            try body.rejectUnknown(known: ["input", "samples"])
            let input = body.value("input") ?? graph.workflow.exampleInput
            let samples = try body.integer("samples", in: 1...10_000)
            if let schema = graph.workflow.inputSchema {
                let problems = schema.violations(of: input)
                guard problems.isEmpty else {
                    throw APIProblem.badRequest(
                        "invalid_input", "input for workflow '\(graph.name)' is invalid: " + problems.joined(separator: "; "),
                        pointer: "$.input")
                }
            }
            let estimate: RunEstimate
            do throws(PurserError) { estimate = try await engine.estimate(graph, input: input, samples: samples) } catch {
                throw APIProblem(.unprocessableContent, code: "cannot_estimate", error.message)
            }
            return try JSONResponse.make(estimate)
        }

        routes.on(.get, "/v1/tiers") { request, context in
            _ = try context.require(Permission.read, to: "reading tiers")
            try request.rejectUnknownQuery(known: [])
            let health = Dictionary(uniqueKeysWithValues: engine.tierHealth.map { ($0.tierID, $0) })
            let tiers = engine.tiers.map { TierView(tier: $0, health: health[$0.id]) }
            return try JSONResponse.make(["tiers": tiers])
        }
    }

    static func summary(_ graph: WorkflowGraph) -> JSONValue {
        let workflow = graph.workflow
        return .object([
            "name": .string(workflow.name),
            "description": .string(workflow.description),
            "exampleInput": workflow.exampleInput,
            "inputSchema": workflow.inputSchema?.jsonValue ?? .null,
            "jurisdictions": workflow.jurisdictions.map { .array($0.sorted().map { .string($0.rawValue) }) } ?? .null,
            "maxCalls": .number(Double(graph.maxCallCount)),
        ])
    }
}

/// A tier of the catalog with what the engine has learned of it.
struct TierView: Encodable {
    var tier: Tier
    var health: TierHealth?
}
