import Foundation
import Testing
@testable import PurserTokenizer

/// Checks further reference files, when `PURSER_TOKENIZER_REFERENCE` names one
/// or more (colon-separated) JSONL files in the shared corpus's format. Used to
/// hold the encoder to large fuzz sets generated with Python tiktoken that are
/// too big to keep in the repository.
@Suite("Extra reference files")
struct ExtraReferenceTests {
    static let paths: [String] = ProcessInfo.processInfo.environment["PURSER_TOKENIZER_REFERENCE"]?
        .split(separator: ":").map(String.init) ?? []

    @Test("ids match every extra reference file", .enabled(if: !paths.isEmpty))
    func matchesExtraReference() throws {
        for path in Self.paths {
            let cases = try ReferenceCorpus.load(URL(fileURLWithPath: path))
            var mismatches: [String] = []
            var mismatchCount = 0
            for (index, reference) in cases.enumerated() {
                let encoding = try #require(TokenizerEncoding(rawValue: reference.encoding))
                let ids = try BPETokenizer.bundled(encoding).encode(reference.text)
                if ids != reference.ids {
                    mismatchCount += 1
                    if mismatches.count < 5 {
                        mismatches.append("""
                            \(path)#\(index) [\(encoding.rawValue)] \(reference.text.unicodeScalars.map { String($0.value, radix: 16) })
                              \(reference.text.debugDescription)
                              expected \(reference.ids)
                              got      \(ids)
                            """)
                    }
                }
            }
            #expect(mismatchCount == 0, "\(mismatchCount) of \(cases.count) lines differ:\n\(mismatches.joined(separator: "\n"))")
        }
    }
}
