/// A binary min-heap of packed `(rank, position)` keys over caller-owned memory,
/// used by the heap merge to find the lowest-ranked pair in O(log n).
///
/// Packing the rank above the position makes ties go to the leftmost pair, which
/// is the order tiktoken's linear scan merges in.
struct MergeQueue {
    /// Bits kept for the position; ranks are at most 24 bits (`RankTable.maximumRank`).
    static let positionBits: UInt64 = 40
    static let positionMask: UInt64 = (1 << positionBits) - 1

    private let storage: UnsafeMutablePointer<UInt64>
    private(set) var count = 0

    init(storage: UnsafeMutablePointer<UInt64>) {
        self.storage = storage
    }

    @inline(__always)
    static func key(rank: UInt32, position: Int) -> UInt64 {
        UInt64(rank) << positionBits | UInt64(truncatingIfNeeded: position)
    }

    /// Adds `key` without restoring the heap order; call `heapify` before popping.
    @inline(__always)
    mutating func appendUnordered(_ key: UInt64) {
        storage[count] = key
        count += 1
    }

    mutating func heapify() {
        var index = count / 2
        while index > 0 {
            index -= 1
            siftDown(from: index)
        }
    }

    @inline(__always)
    mutating func push(_ key: UInt64) {
        var index = count
        count += 1
        while index > 0 {
            let parent = (index - 1) / 2
            let parentKey = storage[parent]
            guard key < parentKey else { break }
            storage[index] = parentKey
            index = parent
        }
        storage[index] = key
    }

    @inline(__always)
    mutating func popMin() -> UInt64? {
        guard count > 0 else { return nil }
        let top = storage[0]
        count -= 1
        if count > 0 {
            storage[0] = storage[count]
            siftDown(from: 0)
        }
        return top
    }

    private mutating func siftDown(from start: Int) {
        var index = start
        let key = storage[index]
        while true {
            var child = 2 * index + 1
            guard child < count else { break }
            if child + 1 < count && storage[child + 1] < storage[child] { child += 1 }
            guard storage[child] < key else { break }
            storage[index] = storage[child]
            index = child
        }
        storage[index] = key
    }
}
