import Foundation
import Purser
import PurserSQLite
import PurserTestKit
import Testing

/// The CLI talks to a server listening on its data directory's socket, and works embedded
/// without one (or with `--embedded`).
@Suite("CLI as a client of the server")
struct CLIClientTests {
    typealias Outcome = ChildOutcome

    /// Runs `purser` on the server's data directory with `token` in PURSER_TOKEN.
    static func purser(_ arguments: [String], home: String, token: String?) async throws -> Outcome {
        var environment = ["PURSER_HOME": home]
        environment["PURSER_TOKEN"] = token
        return try await ChildProcess.run(ServerProcess.executable, arguments, environment: environment)
    }

    @Test func budgetsSpendAndRunsGoThroughTheServerWithTheTokensRole() async throws {
        let server = try await ServerProcess()
        let home = server.home.path
        // Finance sets a cap through the server: the audit log names the token, not the login.
        let set = try await Self.purser(
            ["budget", "set", "tag:team=support", "--period", "day", "--limit", "2.50", "--reason", "pilot"],
            home: home, token: server.tokens.finance)
        #expect(set.status == 0, "\(set.stderr)")
        let history = try await Self.purser(["budget", "history", "--json"], home: home, token: server.tokens.finance)
        let changes = try JSONValue(parsing: history.stdout)
        #expect(changes.arrayValue?.first?["actor"] == "finance-team", "\(history.stdout)")

        // A service token may not change caps: 77, and nothing is written.
        let refused = try await Self.purser(
            ["budget", "set", "global", "--period", "month", "--limit", "1.00"], home: home, token: server.tokens.service)
        #expect(refused.status == 77, "\(refused.stderr)")
        #expect(refused.stderr.contains("forbidden"), "\(refused.stderr)")
        let unknown = try await Self.purser(["budget", "list"], home: home, token: "purser_not-a-token")
        #expect(unknown.status == 77)

        // A run through the server, then listed and reported.
        let run = try await Self.purser(
            ["run", "executive-brief", "--tag", "team=support", "--json"], home: home, token: server.tokens.service)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONValue(parsing: run.stdout)
        #expect(result["status"] == "succeeded")
        let id = try #require(result["id"]?.stringValue)
        let runs = try await Self.purser(["runs", "--json"], home: home, token: server.tokens.service)
        #expect(try JSONValue(parsing: runs.stdout).arrayValue?.first?["id"]?.stringValue == id)
        let spend = try await Self.purser(["spend", "--by", "tag:team", "--json"], home: home, token: server.tokens.finance)
        let rows = try JSONValue(parsing: spend.stdout).arrayValue ?? []
        #expect(rows.first?["key"] == "team=support", "\(spend.stdout)")
        let budgets = try await Self.purser(["budget", "list", "--json"], home: home, token: server.tokens.finance)
        let spent = try JSONValue(parsing: budgets.stdout).arrayValue?.first?["spent"]?.stringValue
        #expect(spent == result["totals"]?["cost"]?.stringValue)

        // --embedded reads the same file in this process, with no token at all.
        let embedded = try await Self.purser(["runs", "--embedded", "--json"], home: home, token: nil)
        #expect(try JSONValue(parsing: embedded.stdout).arrayValue?.first?["id"]?.stringValue == id)
        try await server.stop()

        // With the server gone (its socket removed), the CLI works embedded again.
        let after = try await Self.purser(["budget", "list", "--json"], home: home, token: nil)
        #expect(after.status == 0)
        #expect(try JSONValue(parsing: after.stdout).arrayValue?.count == 1)
    }
}
