import Foundation
import PurserConfig
import Testing

@Suite("The server: and client: sections")
struct ServerConfigurationTests {
    static func problems(_ yaml: String) throws -> [String] {
        let error = try #require(throws: ConfigurationError.self) { try ConfigurationLoader.parse(yaml: yaml) }
        return error.problems.map(\.description)
    }

    @Test func everythingHasADefault() throws {
        let configuration = try ConfigurationLoader.parse(yaml: "# nothing\n")
        #expect(configuration == .default)
        let server = configuration.server
        #expect(server == ServerConfiguration())
        #expect(server.socket == nil)
        #expect(server.socketGroup == nil)
        #expect(server.listen == nil)
        #expect(server.listenAddress == nil)
        #expect(server.maxBodyBytes == 1_048_576)
        #expect(server.maxActiveRuns == 256)
        #expect(server.maxQueuedRuns == 4096)
        #expect(server.idleTimeoutSeconds == 30)
        #expect(server.idleTimeout == .seconds(30))
        #expect(server.shutdownGraceSeconds == 10)
        #expect(server.shutdownGrace == .seconds(10))
        #expect(server.socketPath(dataDirectory: "/home/a/.purser") == "/home/a/.purser/purser.sock")
        #expect(configuration.client.token == nil)
        #expect(try ConfigurationLoader.parse(yaml: "server:\nclient:\n") == .default)
        #expect(try ConfigurationLoader.parse(yaml: "server: {}\nclient: {}\n") == .default)
    }

    @Test func loadsEveryKey() throws {
        let configuration = try ConfigurationLoader.parse(yaml: """
            server:
              socket: /run/purser/purser.sock
              socket_group: purser
              listen: 127.0.0.1:8088
              max_body_bytes: 2_097_152
              max_active_runs: 64
              max_queued_runs: 1000
              idle_timeout_seconds: 5
              shutdown_grace_seconds: 60
            client:
              token: purser_abc-DEF_123
            """)
        #expect(configuration.server == ServerConfiguration(
            socket: "/run/purser/purser.sock", socketGroup: "purser", listen: "127.0.0.1:8088", maxBodyBytes: 2_097_152,
            maxActiveRuns: 64, maxQueuedRuns: 1000, idleTimeoutSeconds: 5, shutdownGraceSeconds: 60))
        #expect(configuration.server.listenAddress == LoopbackAddress(host: "127.0.0.1", port: 8088))
        #expect(configuration.server.socketPath(dataDirectory: "/elsewhere") == "/run/purser/purser.sock")
        #expect(configuration.client.token == "purser_abc-DEF_123")
        #expect(configuration.auth == .empty)
        #expect(configuration.declaredTiers == nil)
    }

    @Test func aRelativeSocketIsInTheDataDirectory() throws {
        let server = try ConfigurationLoader.parse(yaml: "server:\n  socket: sockets/api.sock\n  socket_group: 1001\n").server
        #expect(server.socketPath(dataDirectory: "/var/lib/purser") == "/var/lib/purser/sockets/api.sock")
        #expect(server.socketGroup == "1001", "a numeric group id is read as text")
    }

    @Test(arguments: [
        ("127.0.0.1:8088", "127.0.0.1", 8088),
        ("127.1.2.3:1", "127.1.2.3", 1),
        ("localhost:65535", "localhost", 65535),
        ("[::1]:8088", "::1", 8088),
        ("[0:0:0:0:0:0:0:1]:9000", "0:0:0:0:0:0:0:1", 9000),
    ] as [(String, String, Int)])
    func loopbackAddresses(text: String, host: String, port: Int) throws {
        let address = try LoopbackAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        let quoted = try ConfigurationLoader.parse(yaml: "server:\n  listen: \"\(text)\"\n")
        #expect(quoted.server.listenAddress == address)
    }

    @Test(arguments: [
        ("0.0.0.0:8088", "'0.0.0.0' is not a loopback address; the API has no TLS"),
        ("192.168.1.10:8088", "'192.168.1.10' is not a loopback address"),
        ("example.com:80", "'example.com' is not a loopback address"),
        ("[::]:8088", "'::' is not a loopback address"),
        ("[::ffff:127.0.0.1]:8088", "'::ffff:127.0.0.1' is not a loopback address"),
        ("127.0.0.1:0", "the port must be a number from 1 to 65535, got '0' in '127.0.0.1:0'"),
        ("127.0.0.1:65536", "the port must be a number from 1 to 65535, got '65536'"),
        ("127.0.0.1:+80", "the port must be a number from 1 to 65535, got '+80'"),
        ("127.0.0.1:", "the port must be a number from 1 to 65535, got ''"),
        ("127.0.0.1", "expected HOST:PORT such as 127.0.0.1:8088, got '127.0.0.1'"),
        ("8088", "expected HOST:PORT such as 127.0.0.1:8088, got '8088'"),
        ("::1:8088", "expected HOST:PORT such as 127.0.0.1:8088, got '::1:8088' (write an IPv6 address in brackets: [::1]:8088)"),
        ("[::1]8088", "expected [IPv6]:PORT such as [::1]:8088, got '[::1]8088'"),
        ("127.0.0.256:80", "'127.0.0.256' is not a loopback address"),
    ])
    func notLoopbackAddresses(text: String, message: String) throws {
        let error = try #require(throws: LoopbackAddress.Problem.self) { try LoopbackAddress(parsing: text) }
        #expect(error.message.hasPrefix(message), "\(error.message)")
        let problems = try Self.problems("server:\n  listen: \"\(text)\"\n")
        #expect(problems == ["purser.yaml:2: server.listen: \(error.message)"])
    }

    @Test func anUnquotedIPv6AddressIsAYAMLErrorOnItsLine() throws {
        for text in ["[::1]:8088", "[::1]"] {
            let problems = try Self.problems("server:\n  listen: \(text)\n")
            #expect(problems.count == 1)
            #expect(problems.first?.hasPrefix("purser.yaml:2: invalid YAML") == true, "\(problems)")
        }
        #expect(try Self.problems("server:\n  listen: [a, b]\n") == ["purser.yaml:2: server.listen: expected a string, got a list"])
    }

    @Test(arguments: [
        ("max_body_bytes: 10", "purser.yaml:2: server.max_body_bytes: must be from 1024 to 1073741824, got 10"),
        ("max_body_bytes: 2_000_000_000", "purser.yaml:2: server.max_body_bytes: must be from 1024 to 1073741824, got 2000000000"),
        ("max_body_bytes: 1MB", "purser.yaml:2: server.max_body_bytes: expected a whole number such as 1048576, got '1MB'"),
        ("max_active_runs: 0", "purser.yaml:2: server.max_active_runs: must be from 1 to 100000, got 0"),
        ("max_active_runs: -5", "purser.yaml:2: server.max_active_runs: must be from 1 to 100000, got -5"),
        ("max_queued_runs: 0", "purser.yaml:2: server.max_queued_runs: must be from 1 to 10000000, got 0"),
        ("max_queued_runs: 2.5", "purser.yaml:2: server.max_queued_runs: expected a whole number such as 4096, got '2.5'"),
        ("idle_timeout_seconds: 0", "purser.yaml:2: server.idle_timeout_seconds: must be from 1 to 3600, got 0"),
        ("idle_timeout_seconds: \"30\"", "purser.yaml:2: server.idle_timeout_seconds: expected a whole number such as 30, got '30'"),
        ("shutdown_grace_seconds: 86400", "purser.yaml:2: server.shutdown_grace_seconds: must be from 1 to 3600, got 86400"),
        ("socket: \"\"", "purser.yaml:2: server.socket: expected the socket file's path, such as /run/purser/purser.sock, got ''"),
        ("socket: /run/purser/", "purser.yaml:2: server.socket: expected the socket file's path, such as /run/purser/purser.sock, got '/run/purser/'"),
        ("socket: {path: x}", "purser.yaml:2: server.socket: expected a string, got a mapping"),
        ("socket_group: \"\"", "purser.yaml:2: server.socket_group: expected a group name such as purser (or a numeric group id), got ''"),
        ("socket_group: ops team", "purser.yaml:2: server.socket_group: expected a group name such as purser (or a numeric group id), got 'ops team'"),
        ("socket_group: -x", "purser.yaml:2: server.socket_group: expected a group name such as purser (or a numeric group id), got '-x'"),
        ("listen: 8088", "purser.yaml:2: server.listen: expected HOST:PORT such as 127.0.0.1:8088, got '8088'"),
        ("port: 8088", "purser.yaml:2: server.port: unknown key (known: socket, socket_group, listen, max_body_bytes, max_active_runs, max_queued_runs, idle_timeout_seconds, shutdown_grace_seconds)"),
        ("socket_grup: purser", "purser.yaml:2: server.socket_grup: unknown key (did you mean 'socket_group'?)"),
        ("max_body_size: 1024", "purser.yaml:2: server.max_body_size: unknown key (did you mean 'max_body_bytes'?)"),
    ])
    func reportsBadServerValues(line: String, expected: String) throws {
        let problems = try Self.problems("server:\n  \(line)\n")
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
    }

    @Test func aSocketPathLongerThanTheSystemTakesIsRefused() throws {
        let long = "/" + String(repeating: "s", count: 200) + ".sock"
        let problems = try Self.problems("server:\n  socket: \(long)\n")
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("purser.yaml:2: server.socket: the path is 206 bytes; a Unix socket path can have at most 10") == true, "\(problems)")
        // Just inside the limit (103 on macOS, 107 on Linux) is fine.
        let fits = "/" + String(repeating: "s", count: 90) + ".sock"
        #expect(try ConfigurationLoader.parse(yaml: "server:\n  socket: \(fits)\n").server.socket == fits)
    }

    @Test func collectsEveryServerProblem() throws {
        let problems = try Self.problems("""
            server:
              listen: 0.0.0.0:80
              max_active_runs: 0
              idle_timeout_seconds: forever
            """)
        #expect(problems.count == 3)
        #expect(problems.map { $0.prefix(while: { $0 != " " }) } == ["purser.yaml:2:", "purser.yaml:3:", "purser.yaml:4:"])
    }

    @Test(arguments: [
        ("token: \"\"", "purser.yaml:2: client.token: expected a token such as purser_..., without spaces"),
        ("token: \"purser_a b\"", "purser.yaml:2: client.token: expected a token such as purser_..., without spaces"),
        ("token: \"purser_a\\nb\"", "purser.yaml:2: client.token: expected a token such as purser_..., without spaces"),
        ("token: [a]", "purser.yaml:2: client.token: expected a string, got a list"),
        ("secret: purser_x", "purser.yaml:2: client.secret: unknown key (known: token)"),
        ("tokn: purser_x", "purser.yaml:2: client.tokn: unknown key (did you mean 'token'?) (known: token)"),
    ])
    func reportsBadClientValues(line: String, expected: String) throws {
        let problems = try Self.problems("client:\n  \(line)\n")
        #expect(problems.count == 1, "\(problems)")
        #expect(problems.first?.hasPrefix(expected) == true, "\(problems)")
    }

    @Test func sectionsMustBeMappings() throws {
        #expect(try Self.problems("server: /run/purser.sock\n") == [
            "purser.yaml:1: server: expected a mapping of socket, socket_group, listen, ..., got '/run/purser.sock'"
        ])
        #expect(try Self.problems("client: purser_x\n") == [
            "purser.yaml:1: client: expected a mapping of token, got 'purser_x'"
        ])
        #expect(try Self.problems("sever:\n  listen: 127.0.0.1:1\n").first?.hasPrefix(
            "purser.yaml:1: sever: unknown key (did you mean 'server'?)") == true)
    }
}
