import Foundation
import Hummingbird
import Logging
import Purser
import PurserSQLite

/// The socket API's routes over the engine, the run manager and the ledger file. One value,
/// built once by ``PurserServer``; each group of routes is an extension in its own file.
public struct PurserAPI: Sendable {
    let manager: RunManager
    let engine: Engine
    let ledger: SQLiteLedger
    let metrics: ServerMetrics
    let tokens: TokenBook
    /// The largest request body read, in bytes.
    let bodyLimit: Int
    let openAPIDocument: ByteBuffer

    /// The router with every route, behind bearer authentication and request metrics.
    func router() -> Hummingbird.Router<PurserRequestContext> {
        let router = Hummingbird.Router(context: PurserRequestContext.self)
        let table = RouteTable()
        router.add(middleware: RequestMetrics(metrics: metrics))
        router.add(middleware: ProblemMiddleware(routes: table))
        router.add(middleware: BearerAuthentication(tokens: tokens))
        let routes = Routes(router: router, table: table)
        addSystemRoutes(to: routes)
        addRunRoutes(to: routes)
        addWorkflowRoutes(to: routes)
        addBudgetRoutes(to: routes)
        return router
    }
}

/// Counts every request by route and status, and times it. Errors are counted with the
/// status they will be answered with.
struct RequestMetrics: RouterMiddleware {
    typealias Context = PurserRequestContext
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.request(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
                took: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.request(
                method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status,
                took: .now - start)
            throw error
        }
    }
}

/// Makes every error a problem document: Hummingbird's own (no such route, body too large)
/// get a stable code, and anything unexpected is a 500 that says no more than it must.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = PurserRequestContext
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as APIProblem {
            throw problem
        } catch let error as HTTPError {
            if error.status == .notFound {
                let allowed = routes.methods(for: request.uri.path)
                if !allowed.isEmpty {
                    throw APIProblem(
                        .methodNotAllowed, code: "method_not_allowed",
                        "\(request.uri.path) takes \(allowed.joined(separator: ", ")), not \(request.method)",
                        headers: [.allow: allowed.joined(separator: ", ")])
                }
            }
            throw APIProblem(error.status, code: Self.code(for: error.status), Self.detail(error, request))
        } catch {
            context.logger.error("unexpected error on \(request.method) \(request.uri.path): \(error)")
            throw APIProblem(.internalServerError, code: "internal", "the server failed to answer this request")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .contentTooLarge: "body_too_large"
        case .badRequest: "bad_request"
        case .unsupportedMediaType: "unsupported_media_type"
        default: "http_\(status.code)"
        }
    }

    static func detail(_ error: HTTPError, _ request: Request) -> String {
        switch error.status {
        case .notFound: "no endpoint \(request.method) \(request.uri.path) (see GET /openapi.json)"
        case .methodNotAllowed: "\(request.uri.path) does not take \(request.method)"
        default: error.body ?? error.status.reasonPhrase
        }
    }
}
