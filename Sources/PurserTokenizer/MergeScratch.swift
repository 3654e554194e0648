/// Working memory for `BytePairMerger`, owned by one encode call and reused for
/// every piece in it, so merging allocates only when a piece is longer than any
/// before it. One allocation holds all the arrays, so a call that encodes a
/// short string pays for a single small `malloc`.
///
/// Non-copyable because it owns the raw block: exactly one owner frees it.
struct MergeScratch: ~Copyable {
    /// How many bytes a piece may have before the block must grow.
    private(set) var capacity: Int
    private var block: UnsafeMutableRawPointer
    /// Part starts (scanning merge) or the end of each part (heap merge).
    private(set) var links: UnsafeMutablePointer<Int>
    /// The part before each part (heap merge only).
    private(set) var previous: UnsafeMutablePointer<Int>
    /// Storage for the heap merge's priority queue (three entries per byte).
    private(set) var queue: UnsafeMutablePointer<UInt64>
    /// Rank of each part merged with the part after it, or `RankTable.noRank`.
    private(set) var pairRanks: UnsafeMutablePointer<UInt32>
    /// Rank of the token each part currently is.
    private(set) var partRanks: UnsafeMutablePointer<UInt32>

    /// Starts with room for pieces of `capacity` bytes: most texts never need more.
    init(capacity: Int = 64) {
        (self.capacity, block, links, previous, queue, pairRanks, partRanks) = Self.allocate(capacity)
    }

    /// Makes room for a piece of `byteCount` bytes. Contents are not preserved.
    @inline(__always)
    mutating func reserve(_ byteCount: Int) {
        if byteCount > capacity { grow(to: byteCount) }
    }

    @inline(never)
    private mutating func grow(to byteCount: Int) {
        block.deallocate()
        (capacity, block, links, previous, queue, pairRanks, partRanks) = Self.allocate(max(byteCount, capacity * 2))
    }

    private static func allocate(_ capacity: Int) -> (
        Int, UnsafeMutableRawPointer, UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>,
        UnsafeMutablePointer<UInt64>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<UInt32>
    ) {
        let slots = capacity + 1
        // 8-byte arrays first, then the 4-byte ones, so every region stays aligned.
        let bytes = slots * 8 * 2 + (capacity * 3 + 1) * 8 + slots * 4 * 2
        let block = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 16)
        let links = block.bindMemory(to: Int.self, capacity: slots)
        let previous = (block + slots * 8).bindMemory(to: Int.self, capacity: slots)
        let queue = (block + slots * 16).bindMemory(to: UInt64.self, capacity: capacity * 3 + 1)
        let pairs = (block + slots * 16 + (capacity * 3 + 1) * 8).bindMemory(to: UInt32.self, capacity: slots)
        let parts = (block + slots * 16 + (capacity * 3 + 1) * 8 + slots * 4).bindMemory(to: UInt32.self, capacity: slots)
        return (capacity, block, links, previous, queue, pairs, parts)
    }

    deinit { block.deallocate() }
}
