import Foundation
import PurserTestKit

/// What one run of the `purser` executable printed and how it exited.
typealias PurserOutcome = ChildOutcome

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
        try await ChildProcess.run(
            executable, arguments, environment: extra.merging(["PURSER_HOME": home]) { $1 }, stdin: stdin)
    }
}
