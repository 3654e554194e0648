/// Where encoded token ranks go. `encode` collects them and `count` only counts
/// them; the encoding loop is generic over the sink so that counting costs no
/// stores and the compiler specializes each path.
protocol TokenSink: ~Copyable {
    mutating func emit(_ rank: UInt32)
}

/// Counts ranks without keeping them.
struct TokenCounter: TokenSink {
    var count = 0

    @inline(__always)
    mutating func emit(_ rank: UInt32) { count += 1 }
}

/// Collects ranks in a raw growable buffer and hands them over as `[Int]` once.
///
/// `Array.append` checks uniqueness and capacity on every call, which showed up
/// as a tenth of encoding time; a bare pointer bump does not.
struct IdCollector: TokenSink, ~Copyable {
    private var storage: UnsafeMutablePointer<UInt32>
    private var capacity: Int
    private(set) var count = 0

    init(expectedCount: Int) {
        capacity = max(expectedCount, 16)
        storage = .allocate(capacity: capacity)
    }

    deinit { storage.deallocate() }

    @inline(__always)
    mutating func emit(_ rank: UInt32) {
        if count == capacity { grow() }
        storage[count] = rank
        count += 1
    }

    @inline(never)
    private mutating func grow() {
        let larger = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: storage, count: count)
        storage.deallocate()
        storage = larger
        capacity *= 2
    }

    /// The collected ids.
    var ids: [Int] {
        [Int](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Int(storage[index]) }
            initialized = count
        }
    }
}
