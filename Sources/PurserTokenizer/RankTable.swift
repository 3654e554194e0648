/// The vocabulary in a layout built for lookups without allocation: every token's
/// bytes live in one contiguous buffer, and an open-addressing hash table (linear
/// probing, at most half full, `RankSlot` layout) maps a byte slice, hashed in
/// place by `ByteSliceHash`, to its rank.
///
/// It owns raw memory, written only in `init` and freed in `deinit`; nothing
/// mutates it afterwards, which is why sharing it across threads is sound.
final class RankTable: @unchecked Sendable {
    /// Ranks are stored densely (an array indexed by rank), so they are capped to
    /// keep a hostile file from demanding gigabytes; real vocabularies use < 2^18.
    static let maximumRank = (1 << 24) - 1

    /// Marks a rank that no token has, and a pair that has no merge.
    static let noRank = UInt32.max

    /// One past the largest rank (ranks may in principle have gaps).
    let rankCount: Int
    /// How many tokens the file listed.
    let tokenCount: Int

    private let bytes: UnsafeMutablePointer<UInt8>
    private let offsets: UnsafeMutablePointer<UInt32>
    private let lengths: UnsafeMutablePointer<UInt32>
    private let slots: UnsafeMutablePointer<UInt64>
    private let slotMask: Int
    private let singleBytes: UnsafeMutablePointer<UInt32>
    /// Rank of every two-byte token, indexed by `first << 8 | second`.
    private let pairs: UnsafeMutablePointer<UInt32>

    /// Takes ownership of already-validated parts built by `RankTableBuilder`.
    init(
        bytes: [UInt8], offsets: [UInt32], lengths: [UInt32], slots: [UInt64],
        singleBytes: [UInt32], pairs: [UInt32], tokenCount: Int
    ) {
        self.bytes = Self.copy(bytes)
        self.offsets = Self.copy(offsets)
        self.lengths = Self.copy(lengths)
        self.slots = Self.copy(slots)
        self.singleBytes = Self.copy(singleBytes)
        self.pairs = Self.copy(pairs)
        self.slotMask = slots.count / 2 - 1
        self.rankCount = offsets.count
        self.tokenCount = tokenCount
    }

    deinit {
        bytes.deallocate()
        offsets.deallocate()
        lengths.deallocate()
        slots.deallocate()
        singleBytes.deallocate()
        pairs.deallocate()
    }

    /// A trivially copyable view for hot loops: no reference counting, no
    /// exclusivity checks. Valid only while this table is alive.
    var lookup: RankLookup {
        RankLookup(
            bytes: bytes, offsets: offsets, lengths: lengths, slots: slots,
            slotMask: slotMask, singleBytes: singleBytes, pairs: pairs
        )
    }

    /// The bytes of the token with `rank`, or nil when no token has it. The
    /// buffer points into this table: use it only while the table is alive.
    func tokenBytes(rank: Int) -> UnsafeBufferPointer<UInt8>? {
        guard rank >= 0, rank < rankCount, lengths[rank] > 0 else { return nil }
        return UnsafeBufferPointer(start: bytes + Int(offsets[rank]), count: Int(lengths[rank]))
    }

    private static func copy<T>(_ array: [T]) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        array.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { pointer.initialize(from: base, count: source.count) }
        }
        return pointer
    }
}

/// Raw-pointer access to a `RankTable` for the encoder's inner loops.
struct RankLookup {
    let bytes: UnsafeMutablePointer<UInt8>
    let offsets: UnsafeMutablePointer<UInt32>
    let lengths: UnsafeMutablePointer<UInt32>
    /// Two words per slot: `RankSlot`'s prefix, then its meta.
    let slots: UnsafeMutablePointer<UInt64>
    /// Slot count minus one (the slot count is a power of two).
    let slotMask: Int
    let singleBytes: UnsafeMutablePointer<UInt32>
    let pairs: UnsafeMutablePointer<UInt32>

    /// The rank of the token whose bytes are `[start, start + count)`, or `RankTable.noRank`.
    @inline(__always)
    func rank(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt32 {
        let prefix = ByteSliceHash.prefixWord(start, count)
        let hash = ByteSliceHash.hash(start, count, prefixWord: prefix)
        let wanted = RankSlot.key(hash: hash, length: count)
        var index = Int(truncatingIfNeeded: hash) & slotMask
        while true {
            let meta = slots[2 * index + 1]
            if meta == RankSlot.empty { return RankTable.noRank }
            if meta & ~RankSlot.rankMask == wanted && slots[2 * index] == prefix {
                let rank = Int(meta & RankSlot.rankMask)
                if count <= 8 || isRest(of: rank, equalTo: start, count) { return UInt32(rank) }
            }
            index = (index + 1) & slotMask
        }
    }

    /// Whether the token `rank`, whose first 8 bytes already matched, equals the slice.
    @inline(never)
    private func isRest(of rank: Int, equalTo start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        guard Int(lengths[rank]) == count else { return false }
        return memoryEqual(bytes + Int(offsets[rank]) + 8, start + 8, count - 8)
    }

    /// The rank of the single-byte token `byte` (every table has all 256).
    @inline(__always)
    func rank(ofByte byte: UInt8) -> UInt32 { singleBytes[Int(byte)] }

    /// The rank of the two-byte token `first second`, or `RankTable.noRank`: a
    /// plain array load, since every merge starts by ranking all adjacent bytes.
    @inline(__always)
    func rank(ofPair first: UInt8, _ second: UInt8) -> UInt32 { pairs[Int(first) << 8 | Int(second)] }

    @inline(__always)
    private func memoryEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        let rawA = UnsafeRawPointer(a), rawB = UnsafeRawPointer(b)
        while i + 8 <= count {
            if rawA.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != rawB.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
