/// Counts the tokens a text costs. The exact BPE tokenizer implements this in
/// `PurserTokenizer`; the core ships an approximation so it needs no data files.
///
/// ## Usage
///
/// ```swift
/// let counter: any TokenCounter = ApproximateTokenCounter()
/// let tokens = counter.count("How much will this prompt cost?")
/// ```
public protocol TokenCounter: Sendable {
    func count(_ text: String) -> Int
}

/// About four UTF-8 bytes a token, the rule of thumb for English with GPT-style
/// vocabularies. Deterministic and cheap; good enough for the simulator.
public struct ApproximateTokenCounter: TokenCounter {
    public init() {}

    public func count(_ text: String) -> Int {
        let bytes = text.utf8.count
        return bytes == 0 ? 0 : (bytes + 3) / 4
    }
}
