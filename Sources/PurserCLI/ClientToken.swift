import Foundation
import PurserConfig

/// The secret the CLI sends when it talks to a server.
enum ClientToken {
    /// The environment variable read first.
    static let environmentVariable = "PURSER_TOKEN"

    /// In order: `PURSER_TOKEN`, then `client.token` in purser.yaml, then the admin token the
    /// server left in the data directory (`admin.token`) when it started with none
    /// configured; `nil` when there is none. Blank values count as absent.
    static func resolve(
        environment: [String: String], configuration: PurserConfiguration, dataDirectory: DataDirectory
    ) -> String? {
        if let token = nonBlank(environment[environmentVariable]) { return token }
        if let token = nonBlank(configuration.client.token) { return token }
        let file = dataDirectory.file(APITokens.adminTokenFileName)
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        return nonBlank(String(decoding: data, as: UTF8.self))
    }

    private static func nonBlank(_ text: String?) -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        return trimmed
    }
}
