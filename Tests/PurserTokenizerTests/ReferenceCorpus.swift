import Foundation

/// Loads JSONL files of `{"encoding", "text", "ids"}` lines written by Python
/// tiktoken, the reference these tests hold the Swift encoder to.
struct ReferenceCase: Sendable {
    let encoding: TokenizerEncodingName
    let text: String
    let ids: [Int]
}

/// The encoding as spelled in the JSONL, kept as a string so that a line with an
/// unknown encoding is reported rather than silently skipped.
typealias TokenizerEncodingName = String

enum ReferenceCorpus {
    /// `../shared/tokenizers/reference.jsonl` beside the package root (three
    /// levels above this file: Tests/PurserTokenizerTests/ReferenceCorpus.swift).
    static let sharedReferenceURL: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("../shared/tokenizers/reference.jsonl")
        .standardizedFileURL

    struct Line: Decodable {
        let encoding: String
        let text: String
        let ids: [Int]
    }

    static func load(_ url: URL) throws -> [ReferenceCase] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        var cases: [ReferenceCase] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let parsed = try decoder.decode(Line.self, from: Data(line))
            cases.append(ReferenceCase(encoding: parsed.encoding, text: parsed.text, ids: parsed.ids))
        }
        return cases
    }
}
