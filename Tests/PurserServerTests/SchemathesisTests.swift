import Foundation
import PurserServer
import PurserTestKit
import Testing

/// The OpenAPI document against the server, the other way round from `OpenAPIConformanceTests`:
/// Schemathesis reads the document the server serves and sends every operation requests it
/// generates from it (valid ones, and ones that break the schema), then checks each answer.
///
/// The checks: no 5xx ever; every status, content type, header and body is one the document
/// declares; a request the document forbids is refused (4xx); a request without a token gets 401;
/// and, in the stateful phase, chains such as "start a run, then read it and cancel it" behave as
/// the document's links say. Left out: `positive_data_acceptance` (that every schema-valid request
/// succeeds), because what a valid request may still be refused for is not a matter of shape: a
/// workflow that does not exist, an input its workflow's own schema refuses, a window that ends
/// before it starts, a `run` budget with a period other than `run`.
///
/// The seed is fixed, so a failure can be run again (the output names `st replay` for each), and
/// Schemathesis runs over loopback TCP (`--listen`), which it can reach, while everything else
/// drives the Unix socket.
@Suite("Server: requests generated from the OpenAPI document")
struct SchemathesisTests {
    @Test func generatedRequestsGetDeclaredAnswersAndNeverAServerError() async throws {
        let python = try await TestPython.interpreter()
        let port = try LoopbackSocket.freePort()
        let server = try await ServerProcess(arguments: ["--speed", "instant", "--listen", "127.0.0.1:\(port)"])
        let home = try TemporaryDirectory(prefix: "purser-schemathesis")
        let outcome = try await ChildProcess.run(
            python,
            [
                "-m", "schemathesis.cli", "run", "http://127.0.0.1:\(port)/openapi.json",
                "--header", "Authorization: Bearer \(server.tokens.admin)",
                "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                "--max-examples", "40", "--seed", "20261201", "--generation-database", "none",
                "--request-timeout", "30", "--no-color",
            ],
            // Hypothesis keeps a folder of its own where it runs: in a temporary one, not the repository.
            environment: ["HOME": home.path], currentDirectory: home.url)
        let output = outcome.stdout + outcome.stderr
        #expect(outcome.status == 0, "schemathesis found failures (exit \(outcome.status)):\n\(output)")
        // It did test every operation, not an empty or unreadable document.
        let operations = try Self.operationCount()
        #expect(operations > 15)
        #expect(output.contains("Tested: \(operations)"), "\(output)")
        #expect(server.isRunning, "the server stopped: \(server.log)")
        try await server.stop()
    }

    /// How many operations (a path and a method) the document declares, less its own
    /// `GET /openapi.json`, which Schemathesis leaves out when it loads the document from there.
    static func operationCount() throws -> Int {
        let document = try JSONSerialization.jsonObject(with: Data(try OpenAPIDocument.bytes())) as? [String: Any]
        let paths = try #require(document?["paths"] as? [String: [String: Any]])
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        let tested = paths.filter { $0.key != "/openapi.json" }.values
        return tested.reduce(0) { $0 + $1.keys.filter(methods.contains).count }
    }
}
