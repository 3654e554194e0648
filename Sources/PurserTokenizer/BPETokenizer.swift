import Foundation

/// An exact byte-pair encoder for tiktoken vocabularies: for every String it gives
/// the ids that Python tiktoken's `encode_ordinary` gives (special-token text such
/// as `<|endoftext|>` is encoded as ordinary text).
///
/// Immutable after `init`, so one instance is shared freely across threads; the
/// per-call working memory lives on the calling thread.
public final class BPETokenizer: Sendable {
    /// Which split pattern (and, for `bundled`, which vocabulary) this uses.
    public let encoding: TokenizerEncoding
    private let table: RankTable

    /// The bundled vocabulary for `encoding`, loaded once per process (thread-safe cache).
    public static func bundled(_ encoding: TokenizerEncoding) throws -> BPETokenizer {
        try BundledVocabulary.tokenizer(for: encoding)
    }

    /// A vocabulary from a tiktoken-format rank file (`base64-token rank` per line),
    /// split with `encoding`'s pattern.
    ///
    /// - Throws: `TokenizerError` naming the file and line when the file is
    ///   unreadable or malformed.
    public init(rankFile: URL, encoding: TokenizerEncoding) throws {
        self.table = try RankFileParser.load(contentsOf: rankFile)
        self.encoding = encoding
    }

    /// How many ids the vocabulary has (ranks in use).
    public var vocabularySize: Int { table.tokenCount }

    /// The token ids of `text`.
    public func encode(_ text: String) -> [Int] {
        // About four bytes a token in English prose and three in code.
        var collector = IdCollector(expectedCount: text.utf8.count / 3 + 16)
        run(text, into: &collector)
        return collector.ids
    }

    /// Count-only fast path: same result as `encode(text).count`, without building the id array.
    public func count(_ text: String) -> Int {
        var counter = TokenCounter()
        run(text, into: &counter)
        return counter.count
    }

    /// The bytes of the given ids (for round-trip tests); nil for an unknown id.
    public func decode(_ ids: [Int]) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(ids.count * 4)
        for id in ids {
            guard let token = table.tokenBytes(rank: id) else { return nil }
            bytes.append(contentsOf: token)
        }
        return bytes
    }

    private func run<Sink: TokenSink & ~Copyable>(_ text: String, into sink: inout Sink) {
        var text = text
        // Native Swift strings are contiguous UTF-8; anything else (a bridged
        // string) is made native once instead of being read scalar by scalar.
        if text.utf8.withContiguousStorageIfAvailable({ _ in () }) == nil { text.makeContiguousUTF8() }
        text.utf8.withContiguousStorageIfAvailable { buffer in
            guard let base = buffer.baseAddress, !buffer.isEmpty else { return }
            let view = UTF8Text(base: base, count: buffer.count, classes: ScalarClassTable.shared)
            withExtendedLifetime(table) {
                switch encoding {
                case .cl100kBase: EncodingLoop.run(Cl100kPreTokenizer.self, text: view, ranks: table.lookup, into: &sink)
                case .o200kBase: EncodingLoop.run(O200kPreTokenizer.self, text: view, ranks: table.lookup, into: &sink)
                }
            }
        }
    }
}
