import Foundation

/// How a child program ended and what it printed.
public struct ChildOutcome: Sendable {
    public let status: Int32
    public let stdoutData: Data
    public let stderrData: Data

    public var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrData, as: UTF8.self) }
}

/// Runs programs the tests drive (the `purser` executable, Python validators) to their end.
///
/// Why files and not pipes: Foundation's `readDataToEndOfFile()` traps on any read error, and a
/// pipe read can fail with EINTR when a SIGCHLD from another test's child lands on the reading
/// thread; reading one pipe to its end before the other can also deadlock once the child fills
/// the second pipe's buffer. A child writing into regular files has neither problem, and the
/// files are read once it has exited.
public enum ChildProcess {
    /// Runs `executable` off the cooperative pool and waits for it to exit.
    ///
    /// `environment` replaces the test process's environment when `inheritEnvironment` is false,
    /// and is merged over it otherwise. `currentDirectory` is the child's working directory
    /// (the test process's when `nil`).
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        inheritEnvironment: Bool = true, stdin: String? = nil, currentDirectory: URL? = nil
    ) async throws -> ChildOutcome {
        try await offThePool {
            let started = try start(
                executable, arguments, environment: environment, inheritEnvironment: inheritEnvironment, stdin: stdin,
                currentDirectory: currentDirectory)
            return try started.wait()
        }
    }

    /// Starts `executable` with its output going to files; ``Running/wait()`` collects it.
    public static func start(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:],
        inheritEnvironment: Bool = true, stdin: String? = nil, currentDirectory: URL? = nil
    ) throws -> Running {
        let folder = try TemporaryDirectory(prefix: "purser-child")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.environment =
            inheritEnvironment
            ? ProcessInfo.processInfo.environment.merging(environment) { $1 } : environment
        let stdoutFile = try folder.write("stdout", "")
        let stderrFile = try folder.write("stderr", "")
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        if let stdin {
            process.standardInput = try FileHandle(forReadingFrom: try folder.write("stdin", stdin))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
        return Running(process: process, folder: folder, stdoutFile: stdoutFile, stderrFile: stderrFile)
    }

    /// A started child. Not `Sendable`: one thread starts it, watches it and waits for it.
    public final class Running {
        public let process: Process
        private let folder: TemporaryDirectory
        private let stdoutFile: URL
        private let stderrFile: URL

        init(process: Process, folder: TemporaryDirectory, stdoutFile: URL, stderrFile: URL) {
            self.process = process
            self.folder = folder
            self.stdoutFile = stdoutFile
            self.stderrFile = stderrFile
        }

        /// What the child has written to standard error so far.
        public var stderrSoFar: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }

        /// Blocks until the child exits, then reads what it printed.
        public func wait() throws -> ChildOutcome {
            process.waitUntilExit()
            return ChildOutcome(
                status: process.terminationStatus, stdoutData: try Data(contentsOf: stdoutFile),
                stderrData: try Data(contentsOf: stderrFile))
        }
    }
}
