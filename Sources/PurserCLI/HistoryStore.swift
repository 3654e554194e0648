import Foundation
import Purser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the estimator's learned history in the data directory (`estimate-history.json`),
/// shared safely by concurrent `purser` processes: a run's lessons are added under an
/// exclusive lock to the file as it is then, so no process overwrites another's.
///
/// A JSON file until the SQLite store lands; the format is the `Codable` ``LearnedHistory``.
struct HistoryStore {
    let directory: DataDirectory

    var file: URL { directory.file("estimate-history.json") }
    private var lockFile: URL { directory.file("estimate-history.lock") }

    /// The history as it is now; empty when there is none yet.
    func load() throws(CLIFailure) -> LearnedHistory {
        guard let data = FileManager.default.contents(atPath: file.path) else { return LearnedHistory() }
        do {
            return try JSONDecoder().decode(LearnedHistory.self, from: data)
        } catch {
            throw CLIFailure(
                message: "the learned history \(file.path) is unreadable (\(error)); move it aside to start afresh",
                exitCode: ExitCodes.internal)
        }
    }

    /// Adds what `result` teaches to the stored history.
    func learn(from result: RunResult) throws(CLIFailure) {
        try directory.ensureExists()
        try withLock { () throws(CLIFailure) in
            var history = try load()
            history.learn(from: result)
            try save(history)
        }
    }

    /// Stores `history` whole, replacing what the file had (the server, which loaded the file
    /// when it started and has learned from every run since, writes it back when it stops).
    func replace(with history: LearnedHistory) throws(CLIFailure) {
        try directory.ensureExists()
        try withLock { () throws(CLIFailure) in try save(history) }
    }

    private func save(_ history: LearnedHistory) throws(CLIFailure) {
        do {
            let data = try JSONEncoder().encode(history)
            // Write a temporary file and rename it over the old one: a crash never leaves half a file.
            let temporary = directory.file("estimate-history.json.\(getpid()).tmp")
            try data.write(to: temporary)
            if rename(temporary.path, file.path) != 0 {
                throw CLIFailure(message: "cannot replace \(file.path): errno \(errno)", exitCode: ExitCodes.internal)
            }
        } catch let failure as CLIFailure {
            throw failure
        } catch {
            throw CLIFailure(message: "cannot write \(file.path): \(error)", exitCode: ExitCodes.internal)
        }
    }

    private func withLock<T>(_ body: () throws(CLIFailure) -> T) throws(CLIFailure) -> T {
        let descriptor = open(lockFile.path, O_CREAT | O_RDWR, 0o600)
        guard descriptor >= 0 else {
            throw CLIFailure(message: "cannot open \(lockFile.path): errno \(errno)", exitCode: ExitCodes.internal)
        }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else {
            throw CLIFailure(message: "cannot lock \(lockFile.path): errno \(errno)", exitCode: ExitCodes.internal)
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
