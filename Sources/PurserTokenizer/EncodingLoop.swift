/// The whole encoding pass: cut the text into pieces with a pre-tokenizer and
/// byte-pair encode each piece into a sink.
///
/// Generic over both so that release builds get one specialized, fully inlined
/// loop per (pattern, sink) pair, with no dynamic dispatch per piece.
enum EncodingLoop {
    static func run<Splitter: PreTokenizer, Sink: TokenSink & ~Copyable>(
        _ splitter: Splitter.Type, text: UTF8Text, ranks: RankLookup, into sink: inout Sink
    ) {
        var merger = BytePairMerger(ranks: ranks)
        var start = 0
        while start < text.count {
            // The max() only guards against a pre-tokenizer bug turning into a hang.
            let end = max(Splitter.pieceEnd(in: text, from: start), start + 1)
            merger.encode(text.base + start, count: end - start, into: &sink)
            start = end
        }
    }
}
