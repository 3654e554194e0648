import ArgumentParser
import Foundation
import Purser
import PurserConfig

/// `purser auth`: who may call the server's API.
struct AuthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auth",
        abstract: "Manage the API tokens the server accepts.",
        discussion: """
            Tokens live in the auth: section of purser.yaml in the data directory, as SHA-256 hashes: \
            a secret is printed once, when it is created, and cannot be shown again. Roles: \
            \(AuthTokenCreateCommand.roleNames).
            """,
        subcommands: [AuthTokenCommand.self]
    )
}

/// `purser auth token ...`
struct AuthTokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create, list and revoke API tokens.",
        subcommands: [AuthTokenCreateCommand.self, AuthTokenListCommand.self, AuthTokenRevokeCommand.self],
        defaultSubcommand: AuthTokenListCommand.self
    )
}

/// `purser auth token create --role ROLE --name NAME`
struct AuthTokenCreateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a token and print its secret (once) on standard output.",
        discussion: """
            Only the secret's SHA-256 is stored in purser.yaml; the rest of the file is kept as it is. \
            Exit codes: 64 bad role or name; 65 a token with that name exists; 78 purser.yaml is invalid.
            """
    )

    static var roleNames: String { APIRole.allCases.map(\.rawValue).joined(separator: ", ") }

    @OptionGroup var global: GlobalOptions

    @Option(help: "What the holder may do: \(roleNames).")
    var role: String

    @Option(help: "A unique name for the holder, such as billing-service (letters, digits, '.', '_', '-').")
    var name: String

    func validate() throws {
        guard APIRole(rawValue: role) != nil else {
            throw ValidationError("--role must be one of \(Self.roleNames), got '\(role)'")
        }
        if let problem = APIToken.problem(withName: name) { throw ValidationError("--name: \(problem)") }
    }

    func run() throws {
        do throws(CLIFailure) {
            guard let role = APIRole(rawValue: role) else {
                throw CLIFailure(message: "--role must be one of \(Self.roleNames)", exitCode: ExitCodes.usage)
            }
            let directory = global.dataDirectory
            try directory.ensureExists()
            let file = ConfigurationFile(directory: directory)
            let secret = try file.withExclusiveLock { () throws(CLIFailure) -> String in
                let tokens = try file.load().auth.tokens
                if let existing = tokens.first(where: { $0.name == name }) {
                    throw CLIFailure(
                        message: "a token named '\(name)' already exists (role \(existing.role.rawValue), created "
                            + "\(AuthTokenTable.timestamp(existing.created))); revoke it first with "
                            + "`purser auth token revoke \(name)` or choose another name",
                        exitCode: ExitCodes.invalidInput)
                }
                let secret = APITokens.generate()
                // Whole seconds: what the file keeps.
                let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
                let token = APIToken(name: name, role: role, hash: APITokens.hash(secret), created: now)
                try file.writeTokens(tokens + [token])
                return secret
            }
            Terminal.standardOutput.write(secret + "\n")
            Terminal.standardError.write(
                "created token '\(name)' (role \(role.rawValue)); its secret is above and will not be shown again: "
                    + "store it now (only its SHA-256 is kept, in \(file.url.path))\n")
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser auth token list`
struct AuthTokenListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tokens: name, role, when created, and the start of the hash (never secrets).")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print one JSON document instead of a table.")
    var json = false

    func run() throws {
        do throws(CLIFailure) {
            let tokens = try ConfigurationFile(directory: global.dataDirectory).load().auth.tokens
            if json {
                Terminal.standardOutput.write(AuthTokenTable.json(tokens).prettyJSON + "\n")
            } else {
                Terminal.standardOutput.write(AuthTokenTable.render(tokens))
            }
        } catch {
            Self.exit(with: error)
        }
    }
}

/// `purser auth token revoke NAME`
struct AuthTokenRevokeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Remove a token: requests with its secret are refused from then on.",
        discussion: "Exit codes: 66 no token has that name; 78 purser.yaml is invalid."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The token's name (see `purser auth token list`).")
    var name: String

    func run() throws {
        do throws(CLIFailure) {
            let file = ConfigurationFile(directory: global.dataDirectory)
            let unknown = CLIFailure(
                message: "there is no token named '\(name)' (see `purser auth token list`)", exitCode: ExitCodes.notFound)
            // No file (perhaps no data directory either): nothing to revoke, and nothing to lock.
            guard file.exists else { throw unknown }
            let remaining = try file.withExclusiveLock { () throws(CLIFailure) -> Int in
                let tokens = try file.load().auth.tokens
                guard tokens.contains(where: { $0.name == name }) else { throw unknown }
                let kept = tokens.filter { $0.name != name }
                try file.writeTokens(kept)
                return kept.count
            }
            Terminal.standardOutput.write("revoked \(name)\n")
            if remaining == 0 {
                Terminal.standardError.write(
                    "note: no tokens remain; a server started now makes an admin token of its own "
                        + "(\(APITokens.adminTokenFileName) in the data directory)\n")
            }
        } catch {
            Self.exit(with: error)
        }
    }
}

/// The tokens as a table for people and as JSON for scripts; neither ever holds a secret,
/// and only the hash's first 8 digits (enough to tell tokens apart, not to look one up).
enum AuthTokenTable {
    static func render(_ tokens: [APIToken]) -> String {
        guard !tokens.isEmpty else {
            return "no API tokens (create one with `purser auth token create --role ROLE --name NAME`)\n"
        }
        var table = TextTable([
            .init(title: "name", alignment: .left), .init(title: "role", alignment: .left),
            .init(title: "created", alignment: .left), .init(title: "sha256", alignment: .left),
        ])
        for token in tokens {
            table.add([token.name, token.role.rawValue, AuthTokenTable.timestamp(token.created), hashPrefix(token)])
        }
        return table.render()
    }

    static func json(_ tokens: [APIToken]) -> JSONValue {
        .array(tokens.map { token in
            .object([
                "name": .string(token.name),
                "role": .string(token.role.rawValue),
                "created": .string(AuthTokenTable.timestamp(token.created)),
                "sha256_prefix": .string(hashPrefix(token)),
            ])
        })
    }

    static func hashPrefix(_ token: APIToken) -> String { String(token.hash.prefix(8)) }

    /// As purser.yaml writes it: `2026-11-29T11:00:00Z`.
    static func timestamp(_ date: Date) -> String { Date.ISO8601FormatStyle().format(date) }
}
