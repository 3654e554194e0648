/// Cuts text into the pieces that byte-pair encoding then merges within, exactly
/// as one of tiktoken's split patterns would (leftmost alternative wins, greedy
/// quantifiers with backtracking where the pattern has it).
///
/// Each conformer is a hand-written state machine over scalars instead of a regex
/// engine: it has to give the regex's answer on every input, at many times the
/// speed, and it never allocates.
protocol PreTokenizer {
    /// The end of the piece that starts at `start` (`start < text.count`); always
    /// greater than `start`.
    static func pieceEnd(in text: UTF8Text, from start: Int) -> Int
}
