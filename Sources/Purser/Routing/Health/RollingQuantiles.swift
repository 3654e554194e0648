/// Quantiles of the last `capacity` observations, kept sorted as they arrive.
///
/// A window, not an average: one 100× outlier moves a quantile by at most one rank, and the
/// estimate follows a tier whose speed drifts within `capacity` calls. Insertion costs a
/// binary search and a short move; reading a quantile is an index.
public struct RollingQuantiles: Sendable, Hashable {
    public let capacity: Int
    private var arrival: [Double] = []
    private var oldest = 0
    private var sorted: [Double] = []

    public init(capacity: Int = 64) {
        self.capacity = max(1, capacity)
        arrival.reserveCapacity(self.capacity)
        sorted.reserveCapacity(self.capacity)
    }

    public var count: Int { sorted.count }

    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        if arrival.count < capacity {
            arrival.append(value)
        } else {
            let evicted = arrival[oldest]
            arrival[oldest] = value
            oldest = (oldest + 1) % capacity
            sorted.remove(at: position(of: evicted))
        }
        sorted.insert(value, at: position(of: value))
    }

    /// The `q`-quantile (nearest rank), or `nil` with no observations.
    public func quantile(_ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// First index whose value is not less than `value`.
    private func position(of value: Double) -> Int {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
