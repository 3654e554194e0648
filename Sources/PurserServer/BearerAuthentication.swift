import Synchronization
import Hummingbird
import PurserConfig

/// Reads `Authorization: Bearer <token>` and puts the token's holder in the context. A token
/// that matches nothing is refused here (401), whatever the route; a request without one goes
/// on, and each route decides (health and the OpenAPI document need none).
struct BearerAuthentication: RouterMiddleware {
    typealias Context = PurserRequestContext

    let tokens: TokenBook

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIProblem(
                .unauthorized, code: "unauthorized", "the Authorization header must be 'Bearer <token>'")
        }
        guard let token = tokens.token(forBearer: String(parts[1])) else {
            throw APIProblem(.unauthorized, code: "unauthorized", "the bearer token is not known (or was revoked)")
        }
        var context = context
        context.caller = token
        return try await next(request, context)
    }
}

/// The tokens the server accepts. `purser auth token create` and `revoke` edit the config
/// file while the server runs, so the book asks `reload` again at most once a second: new
/// tokens work, and revoked ones stop working, within a second. `reload` returns `nil` when
/// the file has not changed (or no longer parses: the tokens in force stay).
final class TokenBook: Sendable {
    private let reload: @Sendable () -> AuthConfiguration?
    private let state: Mutex<(auth: AuthConfiguration, checked: ContinuousClock.Instant)>

    init(_ auth: AuthConfiguration, reload: @escaping @Sendable () -> AuthConfiguration? = { nil }) {
        self.reload = reload
        state = Mutex((auth, .now))
    }

    func token(forBearer secret: String) -> APIToken? {
        let now = ContinuousClock.now
        let due = state.withLock { state -> Bool in
            guard now - state.checked > .seconds(1) else { return false }
            state.checked = now
            return true
        }
        if due, let fresh = reload() { state.withLock { $0.auth = fresh } }
        return state.withLock { $0.auth }.token(forBearer: secret)
    }

    /// Whether any token is configured at all.
    var isEmpty: Bool { state.withLock { $0.auth.tokens.isEmpty } }
}
