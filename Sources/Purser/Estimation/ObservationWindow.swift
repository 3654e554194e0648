/// The most recent observations of one quantity (output tokens of a step on a tier, items of
/// a for-each, ...), kept to a fixed window so estimates follow drift and memory stays bounded.
///
/// Quantiles over the window are exact; the window is the streaming estimator.
public struct ObservationWindow: Sendable, Hashable, Codable {
    public static let defaultCapacity = 256

    public private(set) var values: [Int]
    /// Where the next observation goes once the window is full (oldest first out).
    private var next: Int
    public let capacity: Int
    /// Observations ever made, including those that left the window.
    public private(set) var total: Int

    public init(capacity: Int = ObservationWindow.defaultCapacity) {
        self.values = []
        self.next = 0
        self.capacity = max(1, capacity)
        self.total = 0
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    public mutating func add(_ value: Int) {
        total += 1
        if values.count < capacity {
            values.append(value)
        } else {
            values[next] = value
            next = (next + 1) % capacity
        }
    }

    /// The `q` quantile (0...1) by nearest rank; `nil` when empty.
    public func quantile(_ q: Double) -> Int? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((min(max(q, 0), 1) * Double(sorted.count - 1)).rounded(.up))
        return sorted[rank]
    }

    public var maximum: Int? { values.max() }

    public var mean: Double? {
        values.isEmpty ? nil : Double(values.reduce(0, +)) / Double(values.count)
    }

    /// One observation drawn at random (a bootstrap sample).
    func sample(_ random: inout SplitMix64) -> Int {
        values[Int(random.next() % UInt64(values.count))]
    }
}
