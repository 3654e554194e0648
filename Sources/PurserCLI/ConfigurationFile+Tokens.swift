import Foundation
import PurserConfig

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ConfigurationFile {
    /// Runs `body` holding an exclusive lock on `purser.yaml.lock`, so two commands that
    /// rewrite the file (two `auth token create` at once) cannot lose each other's change.
    func withExclusiveLock<T>(_ body: () throws(CLIFailure) -> T) throws(CLIFailure) -> T {
        let lockFile = directory.file(ConfigurationLoader.fileName + ".lock")
        let descriptor = open(lockFile.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIFailure(
                message: "cannot open \(lockFile.path): \(String(cString: strerror(errno)))", exitCode: ExitCodes.internal)
        }
        // Closing the descriptor releases the lock.
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw CLIFailure(
                    message: "cannot lock \(lockFile.path): \(String(cString: strerror(errno)))",
                    exitCode: ExitCodes.internal)
            }
        }
        return try body()
    }

    /// Replaces the file's `auth:` section with `tokens`, keeping everything else.
    func writeTokens(_ tokens: [APIToken]) throws(CLIFailure) {
        do {
            try AuthSectionWriter.write(tokens: tokens, to: url)
        } catch let error as ConfigurationError {
            throw CLIFailure.configuration(error)
        } catch {
            throw CLIFailure(message: "\(error)", exitCode: ExitCodes.internal)
        }
    }
}
