/// cl100k_base's split pattern, as tiktoken 0.14.0 defines it:
///
///     '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+|
///      ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s
///
/// The alternatives are tried in order at each position. All but the whitespace
/// ones are possessive or never need to give anything back, so they are single
/// forward scans; the backtracking whitespace ones (`\s*[\r\n]`, `\s+(?!\S)`)
/// are decided from one measurement of the whitespace run (`WhitespaceRun`).
enum Cl100kPreTokenizer: PreTokenizer {
    @inline(__always)
    static func pieceEnd(in text: UTF8Text, from start: Int) -> Int {
        let lead = text[start]
        let (first, firstLength) = text.scalar(at: start)
        // '(?i:[sdmt]|ll|ve|re)
        if lead == UInt8(ascii: "'"), let end = text.contractionEnd(at: start) { return end }
        // [^\r\n\p{L}\p{N}]?+\p{L}++
        if first.contains(.letter) { return text.skipping(.letter, from: start + firstLength) }
        let second = start + firstLength
        if first.canPrefixWord, second < text.count {
            let (next, nextLength) = text.scalar(at: second)
            if next.contains(.letter) { return text.skipping(.letter, from: second + nextLength) }
        }
        // \p{N}{1,3}+
        if first.contains(.number) { return text.numberRunEnd(afterFirst: start + firstLength) }
        //  ?[^\s\p{L}\p{N}]++[\r\n]*+
        if let end = punctuationEnd(in: text, from: start, lead: lead, first: first) { return end }
        // Only whitespace is left: \s++$ | \s*[\r\n] | \s+(?!\S) | \s
        let run = WhitespaceRun(in: text, from: start)
        if run.end == text.count { return run.end }
        if let end = run.afterLastNewline { return end }
        if run.scalarCount >= 2 { return run.lastScalarStart }
        return start + firstLength
    }

    /// ` ?[^\s\p{L}\p{N}]++[\r\n]*+`, or nil when it does not match at `start`.
    @inline(__always)
    private static func punctuationEnd(in text: UTF8Text, from start: Int, lead: UInt8, first: ScalarClass) -> Int? {
        var runStart = start
        if lead == UInt8(ascii: " ") {
            guard start + 1 < text.count, text.scalar(at: start + 1).class.isPunctuation else { return nil }
            runStart = start + 1
        } else if !first.isPunctuation {
            return nil
        }
        var position = text.punctuationRunEnd(from: runStart)
        while position < text.count && (text[position] == 0x0A || text[position] == 0x0D) { position += 1 }
        return position
    }
}
