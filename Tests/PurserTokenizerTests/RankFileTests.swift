import Foundation
import Testing
@testable import PurserTokenizer

/// Rank files are parsed strictly: every malformed line is reported with the
/// file name and line number, and nothing in a file can crash the loader.
@Suite("Rank files")
struct RankFileTests {
    /// Loads `lines` as a rank file and returns the error it must throw.
    func loadError(_ lines: [String], name: String = "bad.tiktoken") throws -> TokenizerError {
        let fixture = try RankFileFixture()
        defer { fixture.remove() }
        let url = try fixture.write(name, lines.joined(separator: "\n") + "\n")
        return try #require(throws: TokenizerError.self) {
            try BPETokenizer(rankFile: url, encoding: .cl100kBase)
        }
    }

    @Test("invalid base64 names the line")
    func invalidBase64() throws {
        let error = try loadError(RankFileFixture.byteLines + ["YWJ@ 256"])
        #expect(error.kind == .invalidBase64)
        #expect(error.line == 257)
        #expect(error.file == "bad.tiktoken")
        #expect(error.description == #"bad rank file bad.tiktoken:257: token "YWJ@" is not valid base64"#)
    }

    @Test("base64 with bad length or misplaced padding is rejected", arguments: ["YWJ", "Y===", "YQ==YQ==", "=YWJ", "YW=j"])
    func malformedBase64(_ field: String) throws {
        let error = try loadError(["\(field) 0"])
        #expect(error.kind == .invalidBase64)
        #expect(error.line == 1)
    }

    @Test("a non-numeric rank names the line", arguments: ["abc", "-1", "1.5", "+3", "0x10"])
    func nonNumericRank(_ rank: String) throws {
        let error = try loadError(["YQ== 0", "Yg== \(rank)"])
        #expect(error.kind == .invalidRank)
        #expect(error.line == 2)
        #expect(error.description.contains(rank))
    }

    @Test("a duplicate rank names both lines")
    func duplicateRank() throws {
        let error = try loadError(RankFileFixture.byteLines + [RankFileFixture.line("ab", 256), RankFileFixture.line("cd", 256)])
        #expect(error.kind == .duplicateRank)
        #expect(error.line == 258)
        #expect(error.detail == "rank 256 was already used on line 257")
    }

    @Test("a duplicate token names both lines")
    func duplicateToken() throws {
        let error = try loadError(RankFileFixture.byteLines + [RankFileFixture.line("ab", 256), RankFileFixture.line("ab", 257)])
        #expect(error.kind == .duplicateToken)
        #expect(error.line == 258)
        #expect(error.detail.contains("line 257"))
    }

    @Test("a line without a rank, or with an extra field, names the line")
    func fieldCount() throws {
        let missing = try loadError(["YQ== 0", "Yg=="])
        #expect(missing.kind == .missingRank)
        #expect(missing.line == 2)
        let extra = try loadError(["YQ== 0 1"])
        #expect(extra.kind == .extraField)
        #expect(extra.line == 1)
    }

    @Test("a rank beyond 2^24 - 1 is refused, not allocated")
    func hugeRank() throws {
        let error = try loadError(["YQ== 99999999999999999999999"])
        #expect(error.kind == .rankTooLarge)
        #expect(error.line == 1)
    }

    @Test("an empty file and a file lacking a single-byte token are refused")
    func wholeFileProblems() throws {
        let empty = try loadError([""])
        #expect(empty.kind == .empty)
        #expect(empty.line == nil)
        let missingByte = try loadError(Array(RankFileFixture.byteLines.dropLast()))
        #expect(missingByte.kind == .missingByteToken)
        #expect(missingByte.detail.contains("0xFF"))
    }

    @Test("an unreadable file is reported, not a crash")
    func unreadable() throws {
        let error = try #require(throws: TokenizerError.self) {
            try BPETokenizer(rankFile: URL(fileURLWithPath: "/nonexistent/none.tiktoken"), encoding: .o200kBase)
        }
        #expect(error.kind == .unreadable)
        #expect(error.file == "none.tiktoken")
    }

    @Test("a small custom vocabulary merges by rank; CRLF and blank lines are fine")
    func customVocabulary() throws {
        let fixture = try RankFileFixture()
        defer { fixture.remove() }
        let lines = RankFileFixture.byteLines + ["", RankFileFixture.line("ab", 256), RankFileFixture.line("abc", 257), RankFileFixture.line("bc", 258)]
        let url = try fixture.write("tiny.tiktoken", lines.joined(separator: "\r\n"))
        let tokenizer = try BPETokenizer(rankFile: url, encoding: .cl100kBase)
        #expect(tokenizer.vocabularySize == 259)
        #expect(tokenizer.encode("abc") == [257])
        // "abd": "ab" (256) is the only merge; "xbc": only "bc" (258).
        #expect(tokenizer.encode("abd") == [256, 100])
        #expect(tokenizer.encode("xbc") == [120, 258])
        // A gap in the ranks decodes to nil, as does a negative id.
        #expect(tokenizer.decode([257, 32]) == Array("abc ".utf8))
        #expect(tokenizer.decode([259]) == nil)
        #expect(tokenizer.decode([-1]) == nil)
    }
}
