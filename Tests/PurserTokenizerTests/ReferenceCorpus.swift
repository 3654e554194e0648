import Foundation

/// Loads JSONL files of `{"encoding", "text", "ids"}` lines written with Python
/// tiktoken, the reference these tests hold the Swift encoder to.
enum ReferenceCorpus {
    /// `../shared/tokenizers/reference.jsonl` beside the package root (three
    /// levels above this file: Tests/PurserTokenizerTests/ReferenceCorpus.swift).
    static let sharedReferenceURL: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("../shared/tokenizers/reference.jsonl")
        .standardizedFileURL

    static func load(_ url: URL) throws -> [ReferenceCase] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        var cases: [ReferenceCase] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            cases.append(try decoder.decode(ReferenceCase.self, from: Data(line)))
        }
        return cases
    }
}
