import Foundation
import PurserTestKit

/// What one run of the `purser` executable printed and how it exited.
struct PurserOutcome: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the real `purser` executable, as a user would, with `PURSER_HOME` set so it never
/// touches the user's `~/.purser`.
enum PurserProcess {
    /// The `purser` binary sits beside the test bundle in the build products folder.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("purser")
    }

    static func run(
        _ arguments: [String], home: String, environment extra: [String: String] = [:], stdin: String? = nil
    ) async throws -> PurserOutcome {
        try await offThePool { try runBlocking(arguments, home: home, environment: extra, stdin: stdin) }
    }

    private static func runBlocking(
        _ arguments: [String], home: String, environment extra: [String: String], stdin: String?
    ) throws -> PurserOutcome {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PURSER_HOME"] = home
        environment.merge(extra) { $1 }
        process.environment = environment
        if let stdin {
            let input = Pipe()
            process.standardInput = input
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return PurserOutcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }
}
