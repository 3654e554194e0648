import Foundation
import Testing
@testable import PurserTokenizer

/// Holds the encoder to Python tiktoken 0.14.0 on the shared corpus of 1,500
/// generated texts per encoding: every id must match, and `count` and `decode`
/// must agree with `encode` on every line.
@Suite("Reference corpus (tiktoken 0.14.0)")
struct ReferenceCorpusTests {
    static let cases: [ReferenceCase] = (try? ReferenceCorpus.load(ReferenceCorpus.sharedReferenceURL)) ?? []

    @Test("the shared corpus is present and covers both encodings")
    func corpusIsPresent() {
        #expect(Self.cases.count == 3000, "expected 3,000 lines in \(ReferenceCorpus.sharedReferenceURL.path)")
        for encoding in TokenizerEncoding.allCases {
            #expect(Self.cases.contains { $0.encoding == encoding.rawValue })
        }
    }

    @Test("ids, counts and round trips match tiktoken", arguments: TokenizerEncoding.allCases)
    func matchesReference(_ encoding: TokenizerEncoding) throws {
        let tokenizer = try BPETokenizer.bundled(encoding)
        let cases = Self.cases.filter { $0.encoding == encoding.rawValue }
        #expect(cases.count == 1500)
        var mismatches: [String] = []
        for (index, reference) in cases.enumerated() {
            let ids = tokenizer.encode(reference.text)
            if ids != reference.ids {
                mismatches.append("""
                    #\(index) \(reference.text.debugDescription)
                      expected \(reference.ids)
                      got      \(ids)
                    """)
            }
            #expect(tokenizer.count(reference.text) == ids.count, "count differs for line \(index)")
            #expect(tokenizer.decode(ids) == Array(reference.text.utf8), "round trip differs for line \(index)")
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches; first:\n\(mismatches.prefix(3).joined(separator: "\n"))")
    }
}
