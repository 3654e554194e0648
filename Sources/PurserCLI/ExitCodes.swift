import ArgumentParser
import Purser

/// The CLI's documented exit codes. Stable: scripts depend on them.
public enum ExitCodes {
    public static let success: Int32 = 0
    /// The run started but a step failed (tool failure, timeout, invalid model output, fan-out bound).
    public static let runFailed: Int32 = 1
    /// Bad flags or arguments (swift-argument-parser's own code).
    public static let usage: Int32 = 64
    /// Input that is not valid JSON or breaks the workflow's input schema; a workflow that fails validation.
    public static let invalidInput: Int32 = 65
    /// Unknown workflow, missing input file.
    public static let notFound: Int32 = 66
    /// The model provider failed after retries, or no tier meets a step's needs.
    public static let providerFailure: Int32 = 69
    public static let `internal`: Int32 = 70
    /// A budget refused the run or a call, or the server's run queue is full (try again later).
    public static let budgetExceeded: Int32 = 75
    /// The server refused the token: unknown, revoked, or of a role that may not do this (EX_NOPERM).
    public static let noPermission: Int32 = 77
    /// `purser.yaml` is invalid, or names tiers this build cannot call (sysexits' EX_CONFIG).
    public static let configuration: Int32 = 78
    /// Interrupted (SIGINT) and cancelled cleanly.
    public static let cancelled: Int32 = 130

    /// The exit code for an engine error.
    public static func code(for error: PurserError) -> Int32 {
        switch error.code {
        case .invalidInput, .invalidWorkflow: invalidInput
        case .unknownWorkflow: notFound
        case .providerFailure, .noTierMeetsNeeds: providerFailure
        case .budgetExceeded: budgetExceeded
        case .cancelled: cancelled
        case .toolFailure, .timedOut, .invalidModelOutput, .fanOutExceeded: runFailed
        default: `internal`
        }
    }
}

/// A failure the CLI reports on standard error before exiting with its code.
struct CLIFailure: Error, CustomStringConvertible {
    let message: String
    let exitCode: Int32

    var description: String { message }
}

extension ParsableCommand {
    /// Prints `failure` to standard error and exits with its code.
    static func exit(with failure: CLIFailure) -> Never {
        Terminal.standardError.write("error: \(failure.message)\n")
        Self.exit(withError: ExitCode(failure.exitCode))
    }
}
