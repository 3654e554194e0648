import Foundation

/// Runs `reference_tokenizer.py` (Python tiktoken's `encode_ordinary`) on a file
/// and reads back its JSON line.
struct ReferenceMeasurement: Decodable {
    let tokens: Int
    let medianSeconds: Double
    let tiktokenVersion: String

    /// Why the reference could not be measured (not installed, no python3, …).
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The script, found next to this source file in the package.
    static let scriptURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("reference_tokenizer.py")

    static func measure(file: URL, encoding: String, runs: Int) throws -> ReferenceMeasurement {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", scriptURL.path, file.path, encoding, "--runs", String(runs)]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        do {
            try process.run()
        } catch {
            throw Unavailable(description: "cannot run python3 (\(error.localizedDescription))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if let failure = try? JSONDecoder().decode([String: String].self, from: data), let message = failure["error"] {
            throw Unavailable(description: message)
        }
        if process.terminationStatus == 127 {
            throw Unavailable(description: "python3 is not on PATH")
        }
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "reference_tokenizer.py exited with status \(process.terminationStatus)")
        }
        do {
            return try JSONDecoder().decode(ReferenceMeasurement.self, from: data)
        } catch {
            throw Unavailable(description: "unreadable output from reference_tokenizer.py: \(String(decoding: data, as: UTF8.self))")
        }
    }
}
