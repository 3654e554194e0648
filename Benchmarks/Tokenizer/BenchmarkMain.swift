import Foundation
import PurserTokenizer

/// `swift run -c release purser-tokenizer-bench [--megabytes N] [--runs N] [--json] [--no-reference]`
///
/// Generates deterministic prose and code, times the Swift tokenizer's `encode`
/// and `count` on them for both encodings (single thread, median of several runs),
/// times Python tiktoken's `encode_ordinary` on the same files when it is
/// installed, and fails if the two disagree on any token count.
@main
enum BenchmarkMain {
    static func main() throws {
        guard let options = BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst())) else {
            FileHandle.standardError.write(Data((BenchmarkOptions.usage + "\n").utf8))
            exit(2)
        }
        #if DEBUG
        FileHandle.standardError.write(Data("warning: a debug build; run with -c release for real numbers\n".utf8))
        #endif
        let byteCount = Int(options.megabytes * 1_000_000)
        var prose = ProseGenerator(rng: SplitMix64(seed: 1))
        var code = CodeGenerator(rng: SplitMix64(seed: 2))
        let texts = [("prose", prose.generate(byteCount: byteCount)), ("code", code.generate(byteCount: byteCount))]
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("purser-tokenizer-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var rows: [BenchmarkRow] = []
        var referenceNote: String?
        for encoding in TokenizerEncoding.allCases {
            let loadStart = ContinuousClock.now
            let tokenizer = try BPETokenizer.bundled(encoding)
            let loadTime = ContinuousClock.now - loadStart
            for (name, text) in texts {
                let file = directory.appendingPathComponent("\(name).txt")
                try Data(text.utf8).write(to: file)
                let swift = SwiftMeasurement(tokenizer: tokenizer, text: text, runs: options.runs)
                var reference: ReferenceMeasurement?
                if !options.skipReference && referenceNote == nil {
                    do {
                        reference = try ReferenceMeasurement.measure(file: file, encoding: encoding.rawValue, runs: options.runs)
                    } catch {
                        referenceNote = "Python tiktoken not measured: \(error)"
                    }
                }
                rows.append(BenchmarkRow(
                    text: name, encoding: encoding.rawValue, bytes: text.utf8.count, swift: swift,
                    reference: reference, loadMilliseconds: Double(loadTime.components.attoseconds) / 1e15
                        + Double(loadTime.components.seconds) * 1000))
            }
        }
        let report = BenchmarkReport(rows: rows, runs: options.runs, referenceNote: referenceNote)
        print(options.json ? report.json : report.markdown)
        let disagreements = rows.filter { row in row.reference.map { $0.tokens != row.swift.tokens } ?? false }
        if !disagreements.isEmpty {
            for row in disagreements {
                FileHandle.standardError.write(Data(
                    "TOKEN COUNT MISMATCH: \(row.text) / \(row.encoding): Swift \(row.swift.tokens), Python \(row.reference?.tokens ?? -1)\n".utf8))
            }
            exit(1)
        }
    }
}
