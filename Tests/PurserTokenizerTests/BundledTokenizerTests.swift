import Foundation
import Testing
@testable import PurserTokenizer

/// The bundled vocabularies: loaded once, the right size, safe to share.
@Suite("Bundled vocabularies")
struct BundledTokenizerTests {
    @Test("each encoding is loaded once and cached", arguments: TokenizerEncoding.allCases)
    func cached(_ encoding: TokenizerEncoding) throws {
        let first = try BPETokenizer.bundled(encoding)
        let second = try BPETokenizer.bundled(encoding)
        #expect(first === second)
        #expect(first.encoding == encoding)
        #expect(first.vocabularySize == (encoding == .cl100kBase ? 100_256 : 199_998))
    }

    @Test("unknown ids decode to nil", arguments: TokenizerEncoding.allCases)
    func unknownIds(_ encoding: TokenizerEncoding) throws {
        let tokenizer = try BPETokenizer.bundled(encoding)
        #expect(tokenizer.decode([]) == [])
        #expect(tokenizer.decode([-1]) == nil)
        #expect(tokenizer.decode([tokenizer.vocabularySize + 1000]) == nil)
        #expect(tokenizer.decode([15339]) != nil)
    }

    @Test("one tokenizer is shared by concurrent tasks")
    func concurrentUse() async throws {
        let tokenizer = try BPETokenizer.bundled(.cl100kBase)
        let text = String(repeating: "Concurrency is not parallelism, but here it is both. ", count: 200)
        let expected = tokenizer.encode(text)
        let results = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<8 { group.addTask { tokenizer.encode(text) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }
}
