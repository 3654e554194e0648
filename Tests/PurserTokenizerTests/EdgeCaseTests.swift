import Testing
@testable import PurserTokenizer

/// Hand-picked texts (code, CJK, marks, emoji, contractions, digits, CRLF,
/// whitespace runs, special-token text, …) against ids from Python tiktoken.
@Suite("Edge cases against tiktoken")
struct EdgeCaseTests {
    @Test("ids match tiktoken", arguments: EdgeCase.all, TokenizerEncoding.allCases)
    func idsMatch(_ edgeCase: EdgeCase, _ encoding: TokenizerEncoding) throws {
        let tokenizer = try BPETokenizer.bundled(encoding)
        let ids = tokenizer.encode(edgeCase.text)
        #expect(ids == edgeCase.expected(encoding), "\(edgeCase.text.debugDescription)")
        #expect(tokenizer.count(edgeCase.text) == ids.count)
        #expect(tokenizer.decode(ids) == Array(edgeCase.text.utf8))
    }

    @Test("special-token text is ordinary text", arguments: TokenizerEncoding.allCases)
    func specialTokensAreNotSpecial(_ encoding: TokenizerEncoding) throws {
        let tokenizer = try BPETokenizer.bundled(encoding)
        let ids = tokenizer.encode("<|endoftext|>")
        #expect(ids.count > 1)
        #expect(!ids.contains(encoding == .cl100kBase ? 100_257 : 199_999))
    }

    @Test("a String rebuilt from its UTF-8 bytes encodes the same")
    func rebuiltStringAgrees() throws {
        let tokenizer = try BPETokenizer.bundled(.o200kBase)
        let text = "Grüße aus Köln 👋🏽 — “quoted” text\r\n"
        let copy = String(decoding: Array(text.utf8), as: UTF8.self)
        #expect(tokenizer.encode(text) == tokenizer.encode(copy))
    }
}
