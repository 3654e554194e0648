import Foundation
@testable import PurserCLI
import PurserConfig
import PurserTestKit
import Testing

/// Which secret the CLI sends: `PURSER_TOKEN`, then `client.token`, then `admin.token`.
@Suite("Client token resolution")
struct ClientTokenTests {
    let home: TemporaryDirectory
    var directory: DataDirectory { DataDirectory(path: home.path) }

    init() throws {
        home = try TemporaryDirectory(prefix: "purser-client-token")
    }

    func resolve(_ environment: [String: String] = [:], configured: String? = nil) -> String? {
        ClientToken.resolve(
            environment: environment, configuration: PurserConfiguration(client: ClientConfiguration(token: configured)),
            dataDirectory: directory)
    }

    @Test func theEnvironmentComesFirstThenTheConfigurationThenTheAdminTokenFile() throws {
        #expect(resolve() == nil)
        try home.write("admin.token", "purser_admin\n")
        #expect(resolve() == "purser_admin", "trimmed")
        #expect(resolve(configured: "purser_config") == "purser_config")
        #expect(resolve(["PURSER_TOKEN": "purser_env"], configured: "purser_config") == "purser_env")
        #expect(resolve(["OTHER": "x"]) == "purser_admin")
    }

    @Test func blankValuesCountAsAbsent() throws {
        #expect(resolve(["PURSER_TOKEN": ""], configured: "purser_config") == "purser_config")
        #expect(resolve(["PURSER_TOKEN": "  \n"], configured: "  ") == nil)
        try home.write("admin.token", "\n")
        #expect(resolve(["PURSER_TOKEN": ""]) == nil)
        try home.write("admin.token", "  purser_admin  \n\n")
        #expect(resolve(["PURSER_TOKEN": ""], configured: "") == "purser_admin")
    }
}
