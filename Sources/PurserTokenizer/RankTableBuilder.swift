#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects tokens line by line, then indexes and freezes them into a `RankTable`.
///
/// Token bytes are decoded straight into `bytes`, so building a 200,000-token
/// vocabulary makes no per-token allocation. The hash table is filled in a
/// separate tight pass (`build`) rather than line by line: each insertion is a
/// cache miss into a multi-megabyte table, and only a short loop lets the CPU
/// overlap them, which halves the load time.
struct RankTableBuilder {
    /// All token bytes so far; the parser decodes each new token onto its end.
    var bytes: [UInt8]
    private var offsets: [UInt32] = []
    private var lengths: [UInt32] = []
    private var lines: [UInt32] = []
    /// Ranks in file order, so duplicates are reported against the earlier line.
    private var order: [UInt32] = []
    private var slots: [UInt64]
    private let slotMask: Int

    /// `maximumTokens` must bound the number of tokens that will be added (the
    /// parser passes the number of lines); it sizes the hash table to stay at most
    /// half full, so probing stays short and never runs out of slots.
    init(maximumTokens: Int, expectedBytes: Int) {
        var capacity = 16
        while capacity < maximumTokens * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        slotMask = capacity - 1
        bytes = []
        bytes.reserveCapacity(expectedBytes)
        offsets.reserveCapacity(maximumTokens)
        lengths.reserveCapacity(maximumTokens)
        lines.reserveCapacity(maximumTokens)
        order.reserveCapacity(maximumTokens)
    }

    /// Registers the token whose bytes are `bytes[start...]` (just decoded) under
    /// `rank`, read from 1-based `line`.
    mutating func addToken(startingAt start: Int, rank: Int, line: Int) throws(RankFileProblem) {
        let length = bytes.count - start
        if rank < lengths.count, lengths[rank] != 0 {
            throw .duplicateRank(rank, firstLine: Int(lines[rank]))
        }
        if rank >= lengths.count {
            // Files list ranks in order, so this is nearly always a plain append.
            let gap = rank - lengths.count
            if gap > 0 {
                offsets.append(contentsOf: repeatElement(0, count: gap))
                lengths.append(contentsOf: repeatElement(0, count: gap))
                lines.append(contentsOf: repeatElement(0, count: gap))
            }
            offsets.append(UInt32(start))
            lengths.append(UInt32(length))
            lines.append(UInt32(truncatingIfNeeded: line))
        } else {
            offsets[rank] = UInt32(start)
            lengths[rank] = UInt32(length)
            lines[rank] = UInt32(truncatingIfNeeded: line)
        }
        order.append(UInt32(rank))
    }

    /// A problem found while building, with the line to blame (if any).
    struct LocatedProblem: Error {
        let problem: RankFileProblem
        let line: Int?
    }

    /// Puts every token into the hash table, in file order, rejecting repeats.
    private mutating func index() throws(LocatedProblem) {
        for rank in order {
            let rank = Int(rank)
            let start = Int(offsets[rank]), length = Int(lengths[rank])
            let (found, slotIndex, prefix, hash) = probe(start: start, length: length)
            if found >= 0 {
                throw LocatedProblem(problem: .duplicateToken(firstLine: Int(lines[found])), line: Int(lines[rank]))
            }
            slots[2 * slotIndex] = prefix
            slots[2 * slotIndex + 1] = RankSlot.meta(hash: hash, length: length, rank: rank)
        }
    }

    /// Finds the slot for the token `bytes[start ..< start + length]`: either the
    /// rank of an equal token already present, or -1 and the empty slot to fill.
    private func probe(start: Int, length: Int) -> (found: Int, slot: Int, prefix: UInt64, hash: UInt64) {
        bytes.withUnsafeBufferPointer { all in
            guard let base = all.baseAddress else { return (-1, 0, 0, 0) }
            let token = base + start
            let prefix = ByteSliceHash.prefixWord(token, length)
            let hash = ByteSliceHash.hash(token, length, prefixWord: prefix)
            let wanted = RankSlot.key(hash: hash, length: length)
            var index = Int(truncatingIfNeeded: hash) & slotMask
            while true {
                let meta = slots[2 * index + 1]
                if meta == RankSlot.empty { return (-1, index, prefix, hash) }
                let other = Int(meta & RankSlot.rankMask)
                if meta & ~RankSlot.rankMask == wanted, slots[2 * index] == prefix, Int(lengths[other]) == length,
                   memcmp(base + Int(offsets[other]), token, length) == 0 {
                    return (other, index, prefix, hash)
                }
                index = (index + 1) & slotMask
            }
        }
    }

    /// Indexes the tokens, checks the vocabulary as a whole and freezes it.
    mutating func build() throws(LocatedProblem) -> RankTable {
        guard !order.isEmpty else { throw LocatedProblem(problem: .empty, line: nil) }
        try index()
        var singleBytes = [UInt32](repeating: RankTable.noRank, count: 256)
        var pairs = [UInt32](repeating: RankTable.noRank, count: 256 * 256)
        for rank in 0..<lengths.count {
            let offset = Int(offsets[rank])
            switch lengths[rank] {
            case 1: singleBytes[Int(bytes[offset])] = UInt32(rank)
            case 2: pairs[Int(bytes[offset]) << 8 | Int(bytes[offset + 1])] = UInt32(rank)
            default: break
            }
        }
        if let missing = singleBytes.firstIndex(of: RankTable.noRank) {
            throw LocatedProblem(problem: .missingByteToken(UInt8(missing)), line: nil)
        }
        return RankTable(
            bytes: bytes, offsets: offsets, lengths: lengths, slots: slots,
            singleBytes: singleBytes, pairs: pairs, tokenCount: order.count
        )
    }
}
