import Foundation
import Purser
import PurserClient
import PurserSQLite
import Testing

/// Who may do what: every endpoint against no token, an unknown token and each role.
@Suite("Server: tokens and roles")
struct ServerAuthTests {
    enum Needs: Sendable { case nothing, anyToken, service, finance }

    struct Endpoint: Sendable {
        var method: String
        var path: String
        var body: JSONValue?
        var needs: Needs
    }

    static let endpoints: [Endpoint] = [
        .init(method: "GET", path: "/healthz", needs: .nothing),
        .init(method: "GET", path: "/openapi.json", needs: .nothing),
        .init(method: "GET", path: "/metrics", needs: .anyToken),
        .init(method: "GET", path: "/v1/runs", needs: .anyToken),
        .init(method: "GET", path: "/v1/workflows", needs: .anyToken),
        .init(method: "GET", path: "/v1/workflows/executive-brief", needs: .anyToken),
        .init(method: "GET", path: "/v1/tiers", needs: .anyToken),
        .init(method: "GET", path: "/v1/budgets", needs: .anyToken),
        .init(method: "GET", path: "/v1/budgets/history", needs: .anyToken),
        .init(method: "GET", path: "/v1/alerts", needs: .anyToken),
        .init(method: "POST", path: "/v1/runs?wait=true", body: API.runBody("executive-brief"), needs: .service),
        .init(method: "POST", path: "/v1/workflows/executive-brief/estimate", body: [:], needs: .service),
        .init(method: "POST", path: "/v1/runs/run_unknown/cancel", needs: .service),
        .init(method: "PUT", path: "/v1/budgets/global", body: ["period": "month", "limit": "100.00"], needs: .finance),
        .init(method: "DELETE", path: "/v1/budgets/workflow:none?period=day", needs: .finance),
        .init(method: "GET", path: "/v1/spend", needs: .finance),
    ]

    @Test func everyEndpointAdmitsExactlyTheRolesItShould() async throws {
        let server = try await ServerProcess()
        let callers: [(String, String?)] = [
            ("none", nil), ("unknown", "purser_unknownunknownunknownunknownunknownunk"),
            ("service", server.tokens.service), ("finance", server.tokens.finance), ("admin", server.tokens.admin),
        ]
        let client = server.client(nil)
        for endpoint in Self.endpoints {
            for (name, token) in callers {
                let response = try await client.send(
                    PurserClient.Method(rawValue: endpoint.method), endpoint.path,
                    body: endpoint.body.map { Array($0.compactJSON.utf8) }, token: .some(token))
                let expected = Self.expectedDenial(endpoint.needs, caller: name)
                let context = "\(endpoint.method) \(endpoint.path) as \(name): \(response.status) \(response.text.prefix(200))"
                if let expected {
                    #expect(response.status == expected, "\(context)")
                    #expect(response.header("Content-Type") == "application/problem+json", "\(context)")
                } else {
                    #expect(response.status != 401 && response.status != 403, "\(context)")
                    #expect(response.status < 500, "\(context)")
                }
            }
        }
        // A service token never changed a cap; finance's and admin's did, and are audited by name.
        let history = try await client.send(.GET, "/v1/budgets/history", token: .some(server.tokens.admin))
        let actors = history["changes"]?.arrayValue?.compactMap { $0["actor"]?.stringValue } ?? []
        #expect(actors == ["finance-team", "ops"], "\(history.text)")
        try await client.shutdown()
        try await server.stop()
    }

    /// The status a caller gets when it may not call the endpoint; `nil` when it may.
    static func expectedDenial(_ needs: Needs, caller: String) -> Int? {
        if caller == "unknown" { return 401 }  // a bad token is refused everywhere it is sent
        switch needs {
        case .nothing: return nil
        case .anyToken: return caller == "none" ? 401 : nil
        case .service: return caller == "none" ? 401 : (caller == "service" || caller == "admin") ? nil : 403
        case .finance: return caller == "none" ? 401 : (caller == "finance" || caller == "admin") ? nil : 403
        }
    }

    @Test func aTokenCreatedOrRevokedWhileTheServerRunsTakesEffect() async throws {
        let server = try await ServerProcess()
        let created = try await CLIClientTests.purser(
            ["auth", "token", "create", "--role", "finance", "--name", "auditor"], home: server.home.path, token: nil)
        #expect(created.status == 0, "\(created.stderr)")
        let secret = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let client = server.client(secret)
        var status = 0
        for _ in 0..<40 {  // the server rereads the file at most once a second
            status = try await client.send(.GET, "/v1/spend").status
            if status == 200 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == 200)
        let revoked = try await CLIClientTests.purser(["auth", "token", "revoke", "auditor"], home: server.home.path, token: nil)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        for _ in 0..<40 {
            status = try await client.send(.GET, "/v1/spend").status
            if status == 401 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == 401)
        try await client.shutdown()
        try await server.stop()
    }

    @Test func theSocketIsTheOwnersAlone() async throws {
        let server = try await ServerProcess()
        let attributes = try FileManager.default.attributesOfItem(atPath: server.socketPath)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        try await server.stop()
        #expect(!FileManager.default.fileExists(atPath: server.socketPath), "a graceful stop removes the socket")
    }
}

