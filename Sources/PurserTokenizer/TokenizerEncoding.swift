/// The vocabularies this module can encode with, named as tiktoken names them.
///
/// The encoding decides two things: which rank file is bundled for it and which
/// pre-tokenization rules (tiktoken's split pattern) cut text into pieces before
/// byte-pair merging. A custom rank file still needs one of these, because the
/// split rules are what make the ids match the published tokenizer.
public enum TokenizerEncoding: String, Sendable, CaseIterable {
    /// GPT-3.5 / GPT-4 vocabulary (100,256 ranks).
    case cl100kBase = "cl100k_base"
    /// GPT-4o / o-series vocabulary (199,998 ranks).
    case o200kBase = "o200k_base"
}
