/// What an API token's holder may do through the server.
///
/// Roles are coarse on purpose: a deployment has a few callers (services that run workflows,
/// finance tools that set caps, operators), and each gets a token of its own. The server
/// decides which routes need which role; `admin` passes every check.
public enum APIRole: String, CaseIterable, Sendable, Codable {
    /// A service that triggers runs and estimates and reads their results.
    case service
    /// Finance: sets budget caps and reads spend.
    case finance
    /// Operators: everything the other roles may do.
    case admin
}
