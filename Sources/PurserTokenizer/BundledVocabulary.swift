import Foundation

/// The rank files shipped as package resources, each parsed at most once per
/// process.
///
/// Static `let`s are initialized lazily and exactly once by the runtime, which
/// gives a thread-safe cache without a lock; a failure is cached too, since a
/// missing or broken bundled resource cannot fix itself.
enum BundledVocabulary {
    private static let cl100k = load(.cl100kBase)
    private static let o200k = load(.o200kBase)

    static func tokenizer(for encoding: TokenizerEncoding) throws -> BPETokenizer {
        switch encoding {
        case .cl100kBase: try cl100k.get()
        case .o200kBase: try o200k.get()
        }
    }

    /// Where the rank file for `encoding` is in the resource bundle.
    static func url(for encoding: TokenizerEncoding) -> URL? {
        Bundle.module.url(forResource: encoding.rawValue, withExtension: "tiktoken")
            ?? Bundle.module.url(forResource: encoding.rawValue, withExtension: "tiktoken", subdirectory: "Resources")
    }

    private static func load(_ encoding: TokenizerEncoding) -> Result<BPETokenizer, TokenizerError> {
        guard let url = url(for: encoding) else {
            return .failure(TokenizerError(
                file: "\(encoding.rawValue).tiktoken", line: nil,
                problem: .unreadable("not found in the PurserTokenizer resource bundle")))
        }
        do {
            return .success(try BPETokenizer(rankFile: url, encoding: encoding))
        } catch let error as TokenizerError {
            return .failure(error)
        } catch {
            return .failure(TokenizerError(
                file: url.lastPathComponent, line: nil, problem: .unreadable(String(describing: error))))
        }
    }
}
