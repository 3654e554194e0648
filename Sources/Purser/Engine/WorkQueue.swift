import Synchronization

/// Hands out the indexes `0..<count` once each, in order, to concurrent workers.
final class WorkQueue: Sendable {
    private let nextIndex = Atomic<Int>(0)
    let count: Int

    init(count: Int) {
        self.count = count
    }

    /// The next index, or `nil` when all have been handed out.
    func next() -> Int? {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return index < count ? index : nil
    }
}
