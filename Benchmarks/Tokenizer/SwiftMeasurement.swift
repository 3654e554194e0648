import Foundation
import PurserTokenizer

/// Times `encode` and `count` of one tokenizer on one text, single-threaded.
struct SwiftMeasurement {
    let encodeSeconds: Double
    let countSeconds: Double
    let tokens: Int

    /// Runs each operation once to warm up, then `runs` times; keeps the medians.
    init(tokenizer: BPETokenizer, text: String, runs: Int) {
        let tokens = tokenizer.encode(text).count
        self.tokens = tokens
        encodeSeconds = Self.median(runs: runs) { precondition(tokenizer.encode(text).count == tokens) }
        countSeconds = Self.median(runs: runs) { precondition(tokenizer.count(text) == tokens) }
    }

    static func median(runs: Int, _ body: () -> Void) -> Double {
        var seconds: [Double] = []
        for _ in 0..<runs {
            let start = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - start
            seconds.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        seconds.sort()
        return seconds[seconds.count / 2]
    }
}
