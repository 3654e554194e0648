import Hummingbird
import PurserConfig

/// The request context of every route: Hummingbird's core storage, plus who is calling, set by
/// ``BearerAuthentication`` from the request's bearer token.
public struct PurserRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token the request carried; `nil` when it carried none.
    public var caller: APIToken?

    public init(source: Source) {
        coreContext = .init(source: source)
    }

    /// The caller, if its role is one of `roles`; 401 without a token, 403 with the wrong role.
    func require(_ roles: Set<APIRole>, to action: String) throws(APIProblem) -> APIToken {
        guard let caller else { throw APIProblem.unauthorized }
        guard roles.contains(caller.role) || caller.role == .admin else {
            let allowed = roles.map(\.rawValue).sorted().joined(separator: " or ")
            throw APIProblem(
                .forbidden, code: "forbidden",
                "token '\(caller.name)' has role \(caller.role.rawValue); \(action) needs \(allowed) (or admin)")
        }
        return caller
    }
}

/// What each role may do: services trigger runs and estimates, finance sets caps and reads
/// spend, everyone with a token reads runs, workflows, tiers, budgets and alerts.
enum Permission {
    static let read: Set<APIRole> = [.service, .finance, .admin]
    static let runs: Set<APIRole> = [.service]
    static let budgets: Set<APIRole> = [.finance]
    static let spend: Set<APIRole> = [.finance]
}
