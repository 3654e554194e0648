/// o200k_base's split pattern, as tiktoken 0.14.0 defines it:
///
///     [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
///     |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// Unlike cl100k's, the first alternative really backtracks: its "upper" run may
/// have to give back scalars (Lm, Lo and marks are in both classes) until the
/// "lower" run can start, and the optional prefix may have to be dropped.
/// `lowerCaseWordEnd` replays that search in the regex's order.
enum O200kPreTokenizer: PreTokenizer {
    @inline(__always)
    static func pieceEnd(in text: UTF8Text, from start: Int) -> Int {
        let lead = text[start]
        let (first, firstLength) = text.scalar(at: start)
        if let end = wordEnd(in: text, from: start, first: first, firstLength: firstLength) { return end }
        // \p{N}{1,3}
        if first.contains(.number) { return text.numberRunEnd(afterFirst: start + firstLength) }
        //  ?[^\s\p{L}\p{N}]+[\r\n/]*
        if let end = punctuationEnd(in: text, from: start, lead: lead, first: first) { return end }
        // Only whitespace is left: \s*[\r\n]+ | \s+(?!\S) | \s+
        let run = WhitespaceRun(in: text, from: start)
        if let end = run.afterLastNewline { return end }
        if run.end == text.count { return run.end }
        if run.scalarCount >= 2 { return run.lastScalarStart }
        return start + firstLength
    }

    /// The two word alternatives, each first with its optional prefix scalar and
    /// then without it, as the regex tries them.
    @inline(__always)
    private static func wordEnd(in text: UTF8Text, from start: Int, first: ScalarClass, firstLength: Int) -> Int? {
        let wordy: ScalarClass = [.upperish, .lowerish]
        let afterPrefix = start + firstLength
        let prefixed = first.canPrefixWord && afterPrefix < text.count
            && text.scalar(at: afterPrefix).class.intersects(wordy)
        let bare = first.intersects(wordy)
        guard prefixed || bare else { return nil }
        if prefixed, let end = lowerCaseWordEnd(in: text, from: afterPrefix) { return end }
        if bare, let end = lowerCaseWordEnd(in: text, from: start) { return end }
        if prefixed, let end = upperCaseWordEnd(in: text, from: afterPrefix) { return end }
        if bare, let end = upperCaseWordEnd(in: text, from: start) { return end }
        return nil
    }

    /// `[upper]*[lower]+(contraction)?` anchored at `start`: the upper run is
    /// greedy, then gives back one scalar at a time until a lower scalar follows.
    @inline(__always)
    private static func lowerCaseWordEnd(in text: UTF8Text, from start: Int) -> Int? {
        let upperEnd = text.skipping(.upperish, from: start)
        var lowerStart = upperEnd
        while true {
            if lowerStart < text.count && text.scalar(at: lowerStart).class.contains(.lowerish) {
                let end = text.skipping(.lowerish, from: lowerStart)
                return text.contractionEnd(at: end) ?? end
            }
            if lowerStart == start { return nil }
            lowerStart = text.scalarStart(before: lowerStart)
        }
    }

    /// `[upper]+[lower]*(contraction)?` anchored at `start`; needs no backtracking.
    @inline(__always)
    private static func upperCaseWordEnd(in text: UTF8Text, from start: Int) -> Int? {
        let upperEnd = text.skipping(.upperish, from: start)
        guard upperEnd > start else { return nil }
        let end = text.skipping(.lowerish, from: upperEnd)
        return text.contractionEnd(at: end) ?? end
    }

    /// ` ?[^\s\p{L}\p{N}]+[\r\n/]*`, or nil when it does not match at `start`.
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
        while position < text.count {
            let byte = text[position]
            guard byte == 0x0A || byte == 0x0D || byte == UInt8(ascii: "/") else { break }
            position += 1
        }
        return position
    }
}
