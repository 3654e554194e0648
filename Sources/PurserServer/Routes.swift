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

    /// The methods some route takes for `path`, sorted; empty when no route has this path.
    func methods(for path: String) -> [String] {
        let segments = path.split(separator: "/")
        return routes.withLock { routes in
            Set(
                routes.filter { route in
                    route.segments.count == segments.count
                        && zip(route.segments, segments).allSatisfy { $0.hasPrefix(":") || $0 == $1 }
                }.map(\.method.rawValue)
            ).sorted()
        }
    }
}
