import Foundation
import Testing
@testable import PurserTokenizer

/// Long pieces must not make merging quadratic. The bound is generous (a debug
/// build on a slow machine) and only catches O(n²) behaviour; the counts are from
/// Python tiktoken 0.14.0 on the same texts (see `LongInput.randomLetters`).
@Suite("Long inputs")
struct LongInputTests {
    struct LongInput: Sendable, CustomStringConvertible {
        let description: String
        let text: @Sendable () -> String
        let cl100k: Int
        let o200k: Int
    }

    /// 200,000 letters from SplitMix64(seed: 42), `letters[next() % 26]`; the same
    /// generator in Python produced the reference counts.
    static func randomLetters() -> String {
        var state: UInt64 = 42
        let letters = Array("abcdefghijklmnopqrstuvwxyz".unicodeScalars)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<200_000 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            scalars.append(letters[Int(z % 26)])
        }
        return String(scalars)
    }

    static let inputs: [LongInput] = [
        LongInput(description: "200 KB of a", text: { String(repeating: "a", count: 200_000) }, cl100k: 25_000, o200k: 25_000),
        LongInput(description: "200 KB of spaces", text: { String(repeating: " ", count: 200_000) }, cl100k: 1_563, o200k: 1_563),
        LongInput(description: "200 KB of spaces, then x", text: { String(repeating: " ", count: 200_000) + "x" }, cl100k: 1_564, o200k: 1_564),
        LongInput(description: "200 KB of random letters", text: randomLetters, cl100k: 108_110, o200k: 103_827),
        LongInput(description: "150 KB of one CJK character", text: { String(repeating: "日", count: 50_000) }, cl100k: 50_000, o200k: 25_000),
        LongInput(description: "200 KB of digits", text: { String(repeating: "7", count: 200_000) }, cl100k: 66_667, o200k: 66_667),
        LongInput(description: "200 KB of newlines", text: { String(repeating: "\n", count: 200_000) }, cl100k: 6_250, o200k: 12_500),
    ]

    /// A quadratic merge loop would take hours on these inputs; the time limit catches it
    /// without timing anything (speed is measured by purser-tokenizer-bench).
    @Test(
        "long pieces encode without quadratic blow-up and match tiktoken's counts", .timeLimit(.minutes(10)),
        arguments: inputs, TokenizerEncoding.allCases)
    func longPiece(_ input: LongInput, _ encoding: TokenizerEncoding) throws {
        let tokenizer = try BPETokenizer.bundled(encoding)
        let text = input.text()
        let ids = tokenizer.encode(text)
        let count = tokenizer.count(text)
        #expect(ids.count == (encoding == .cl100kBase ? input.cl100k : input.o200k))
        #expect(count == ids.count)
        #expect(tokenizer.decode(ids) == Array(text.utf8))
    }
}
