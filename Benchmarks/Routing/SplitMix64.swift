import Foundation
import Purser

extension SplitMix64 {
    /// A generator for one (stream, a, b) cell, e.g. (latency, step, tier): the same cell always
    /// draws the same numbers, whichever strategy asks and in whatever order, so the router and
    /// the hindsight oracle see one and the same call.
    init(seed: UInt64, stream: UInt64, _ a: Int, _ b: Int = 0) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD6E8_FEB8_6659_FD93))
        mixer = SplitMix64(seed: mixer.next() ^ (UInt64(truncatingIfNeeded: a) &* 0x9E37_79B9_7F4A_7C15))
        self.init(seed: mixer.next() ^ (UInt64(truncatingIfNeeded: b) &* 0xC2B2_AE3D_27D4_EB4F))
    }
}

extension SplitMix64 {
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Uniform in the logarithm: as likely to land in [1, 2] as in [10, 20].
    mutating func logUniform(_ low: Double, _ high: Double) -> Double {
        exp(uniform(log(low), log(high)))
    }

    /// Standard normal (Box-Muller).
    mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Log-normal with the given median and log-space standard deviation.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        median * exp(sigma * normal())
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element of a non-empty array, chosen uniformly.
    mutating func pick<Element>(_ items: [Element]) -> Element {
        items[Int(next() % UInt64(items.count))]
    }

    /// One of `choices`, each with its relative weight.
    mutating func weighted<Element>(_ choices: [(Element, Double)]) -> Element {
        let total = choices.reduce(0) { $0 + $1.1 }
        var target = unit() * total
        for (element, weight) in choices {
            if target < weight { return element }
            target -= weight
        }
        return choices[choices.count - 1].0
    }
}
