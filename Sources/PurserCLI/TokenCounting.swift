import Purser
import PurserTokenizer

/// The exact tokenizer as the engine's ``TokenCounter``.
struct BPETokenCounter: TokenCounter {
    let tokenizer: BPETokenizer

    func count(_ text: String) -> Int { tokenizer.count(text) }
}

enum TokenCounting {
    /// o200k_base: the vocabulary of current OpenAI models, and a fair stand-in for the
    /// simulator's tiers.
    static func standard() throws(CLIFailure) -> BPETokenCounter {
        do {
            return BPETokenCounter(tokenizer: try BPETokenizer.bundled(.o200kBase))
        } catch {
            throw CLIFailure(message: "cannot load the o200k_base vocabulary: \(error)", exitCode: ExitCodes.internal)
        }
    }
}
