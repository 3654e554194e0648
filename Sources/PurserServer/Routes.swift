import Hummingbird
import Synchronization

/// Registers routes on the router and remembers them, so a request for a path that exists
/// with another method is answered 405 with `Allow`, not 404.
struct Routes {
    let router: Hummingbird.Router<PurserRequestContext>
    let table: RouteTable

    @discardableResult
    func on(
        _ method: HTTPRequest.Method, _ path: String,
        use handler: @Sendable @escaping (Request, PurserRequestContext) async throws -> some ResponseGenerator
    ) -> Routes {
        table.add(method, path)
        router.on(RouterPath(path), method: method, use: handler)
        return self
    }
}

/// Every route's method and path pattern (`/v1/runs/:id`).
final class RouteTable: Sendable {
    private let routes = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    func add(_ method: HTTPRequest.Method, _ path: String) {
        routes.withLock { $0.append((method, path.split(separator: "/"))) }
    }

    /// The methods some route takes for `path`, sorted; empty when no route has this path. As in
    /// the router, a literal segment beats a parameter: `/v1/budgets/history` is the history's
    /// path (GET), not a budget scope's (PUT, DELETE).
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            let matching = routes.filter { route in
                route.segments.count == segments.count
                    && zip(route.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
            }
            let literals = { (route: (method: HTTPRequest.Method, segments: [Substring])) in
                route.segments.filter { !$0.hasPrefix(":") }.count
            }
            let mostSpecific = matching.map(literals).max() ?? 0
            return Set(matching.filter { literals($0) == mostSpecific }.map(\.method.rawValue)).sorted()
        }
    }
}
