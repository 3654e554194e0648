import ArgumentParser
import Foundation
import NIOHTTP1
import Purser
import PurserClient
import PurserConfig

/// Options of the commands that talk to a running server when there is one.
struct ConnectionOptions: ParsableArguments {
    @Flag(help: "Work on the data directory in this process even when a server is listening on its socket.")
    var embedded = false
}

/// A running `purser serve` the CLI talks to instead of opening the ledger itself: when the
/// server's socket (from purser.yaml, else `purser.sock` in the data directory) accepts
/// connections. The token comes from `PURSER_TOKEN`, `client.token` in purser.yaml, or the
/// admin token the server left in the data directory.
struct ServerConnection {
    let client: PurserClient
    let socketPath: String

    /// The server to talk to, or `nil` to work embedded.
    static func detect(_ global: GlobalOptions, _ options: ConnectionOptions) throws(CLIFailure) -> ServerConnection? {
        guard !options.embedded else { return nil }
        let directory = global.dataDirectory
        let configuration = try ConfigurationFile(directory: directory).load()
        let socketPath = configuration.server.socketPath(dataDirectory: directory.path)
        guard FileManager.default.fileExists(atPath: socketPath), UnixSocketProbe.accepts(socketPath) else { return nil }
        let token = ClientToken.resolve(
            environment: ProcessInfo.processInfo.environment, configuration: configuration, dataDirectory: directory)
        return ServerConnection(client: PurserClient(socketPath: socketPath, token: token, connections: nil), socketPath: socketPath)
    }

    /// Shuts the client down (async-http-client insists on it before the client goes away);
    /// a second call does nothing.
    func close() async {
        try? await client.shutdown()
    }

    /// Sends a request; an error answer becomes a failure with the problem's detail and the
    /// exit code the embedded command would have used.
    func send(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, accept: String? = nil) async throws(CLIFailure)
        -> ClientResponse
    {
        let response: ClientResponse
        do {
            response = try await client.send(
                method, path, body: json.map { Array($0.compactJSON.utf8) },
                headers: accept.map { [("Accept", $0)] } ?? [])
        } catch {
            await close()
            throw CLIFailure(message: "cannot talk to the server at \(socketPath): \(error)", exitCode: ExitCodes.providerFailure)
        }
        guard response.status < 400 else {
            // The command ends with this failure; the client must be shut down before it goes.
            await close()
            throw Self.failure(response)
        }
        return response
    }

    /// Sends a request and decodes its JSON answer.
    func send<Answer: Decodable>(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, as type: Answer.Type
    ) async throws(CLIFailure) -> Answer {
        let response = try await send(method, path, json: json)
        do {
            return try Self.decoder.decode(Answer.self, from: Data(response.body))
        } catch {
            await close()
            throw CLIFailure(message: "the server's answer to \(path) was not understood: \(error)", exitCode: ExitCodes.internal)
        }
    }

    /// A GET whose JSON answer is decoded; the connection is closed afterwards.
    func fetch<Answer: Decodable>(_ path: String, as type: Answer.Type) async throws(CLIFailure) -> Answer {
        do throws(CLIFailure) {
            let answer = try await send(.GET, path, as: type)
            await close()
            return answer
        } catch {
            await close()
            throw error
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func failure(_ response: ClientResponse) -> CLIFailure {
        let problem = try? response.json()
        let detail = problem?["detail"]?.stringValue ?? response.text
        let code = problem?["code"]?.stringValue ?? "http_\(response.status)"
        let exitCode: Int32 =
            switch response.status {
            case 401, 403: ExitCodes.noPermission
            case 404: ExitCodes.notFound
            case 422 where code == "budget_exceeded", 429: ExitCodes.budgetExceeded
            case 400..<500: ExitCodes.invalidInput
            default: ExitCodes.internal
            }
        return CLIFailure(message: "server: \(detail) [\(code)]", exitCode: exitCode)
    }

    /// `value` percent-encoded for a path segment or query value.
    static func encoded(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
