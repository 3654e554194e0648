import Foundation
import PurserConfig

/// The token a server creates for its owner on its first start, when none are configured, so
/// the CLI on the same machine can talk to it at once: its hash goes into `purser.yaml`, its
/// secret into `admin.token` (mode 0600) in the data directory, which the CLI reads.
enum AdminToken {
    static func create(in directory: DataDirectory, configuration file: ConfigurationFile) throws(CLIFailure) {
        let secret = APITokens.generate()
        let token = APIToken(name: "admin", role: .admin, hash: APITokens.hash(secret), created: Date())
        let secretFile = directory.file(APITokens.adminTokenFileName)
        do {
            // The secret first: a crash between the two writes leaves an unused secret, never a
            // configured token nobody holds.
            let descriptor = open(secretFile.path, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
            let bytes = Array((secret + "\n").utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            guard written == bytes.count else { throw CocoaError(.fileWriteUnknown) }
            try AuthSectionWriter.write(tokens: [token], to: file.url)
        } catch {
            throw CLIFailure(
                message: "cannot create the admin token in \(directory.path): \(error)", exitCode: ExitCodes.internal)
        }
    }
}
