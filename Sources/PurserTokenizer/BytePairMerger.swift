/// Byte-pair encodes one piece: starting from single bytes, repeatedly merges the
/// adjacent pair whose concatenation has the lowest rank (the leftmost on ties)
/// until no adjacent pair is a token. This is tiktoken's `byte_pair_merge`.
///
/// Short pieces use tiktoken's own scan (the fastest for a handful of parts);
/// longer ones use a linked list of parts and a heap of candidate pairs, which is
/// O(n log n), so a 100 KB piece of one repeated character stays fast. The heap
/// already wins from about 16 bytes on (measured on CJK text, whose pieces are
/// long runs of 3-byte characters); below that the two are on par.
struct BytePairMerger: ~Copyable {
    /// Longest piece merged by rescanning all pairs after every merge.
    static let scanLimit = 16

    let ranks: RankLookup
    private var scratch = MergeScratch()

    init(ranks: RankLookup) {
        self.ranks = ranks
    }

    /// Emits the tokens of the `count`-byte piece at `piece` (count >= 1).
    @inline(__always)
    mutating func encode<Sink: TokenSink & ~Copyable>(_ piece: UnsafePointer<UInt8>, count: Int, into sink: inout Sink) {
        if count == 1 {
            sink.emit(ranks.rank(ofByte: piece[0]))
            return
        }
        let whole = ranks.rank(piece, count)
        if whole != RankTable.noRank {
            sink.emit(whole)
            return
        }
        scratch.reserve(count)
        if count <= Self.scanLimit {
            mergeByScanning(piece, count: count, into: &sink)
        } else {
            mergeWithHeap(piece, count: count, into: &sink)
        }
    }

    /// tiktoken's algorithm: parts in an array, a linear scan for the best pair.
    private mutating func mergeByScanning<Sink: TokenSink & ~Copyable>(
        _ piece: UnsafePointer<UInt8>, count byteCount: Int, into sink: inout Sink
    ) {
        let starts = scratch.links, pairRanks = scratch.pairRanks, partRanks = scratch.partRanks
        for index in 0..<byteCount {
            starts[index] = index
            partRanks[index] = ranks.rank(ofByte: piece[index])
        }
        starts[byteCount] = byteCount
        for index in 0..<(byteCount - 1) { pairRanks[index] = ranks.rank(ofPair: piece[index], piece[index + 1]) }
        pairRanks[byteCount - 1] = RankTable.noRank

        var parts = byteCount
        while true {
            var best = RankTable.noRank
            var bestIndex = -1
            for index in 0..<(parts - 1) where pairRanks[index] < best {
                best = pairRanks[index]
                bestIndex = index
            }
            guard bestIndex >= 0 else { break }
            let merged = bestIndex
            partRanks[merged] = best
            // Remove part `merged + 1`: starts keep their end sentinel.
            for index in (merged + 1)..<parts { starts[index] = starts[index + 1] }
            for index in (merged + 1)..<(parts - 1) {
                pairRanks[index] = pairRanks[index + 1]
                partRanks[index] = partRanks[index + 1]
            }
            parts -= 1
            let start = starts[merged]
            pairRanks[merged] = merged + 1 < parts
                ? ranks.rank(piece + start, starts[merged + 2] - start)
                : RankTable.noRank
            if merged > 0 {
                let before = starts[merged - 1]
                pairRanks[merged - 1] = ranks.rank(piece + before, starts[merged + 1] - before)
            }
        }
        for index in 0..<parts { sink.emit(partRanks[index]) }
    }

    /// Linked parts indexed by their first byte, and a heap of candidate pairs
    /// keyed by (rank, position). A popped pair is stale when its left part has
    /// since changed its pair rank; a part that grew can never regain an old rank,
    /// because ranks name distinct byte strings and the part only gets longer.
    private mutating func mergeWithHeap<Sink: TokenSink & ~Copyable>(
        _ piece: UnsafePointer<UInt8>, count byteCount: Int, into sink: inout Sink
    ) {
        let ends = scratch.links, previous = scratch.previous
        let pairRanks = scratch.pairRanks, partRanks = scratch.partRanks
        var queue = MergeQueue(storage: scratch.queue)
        for index in 0..<byteCount {
            ends[index] = index + 1
            previous[index] = index - 1
            partRanks[index] = ranks.rank(ofByte: piece[index])
            let pair = index + 1 < byteCount ? ranks.rank(ofPair: piece[index], piece[index + 1]) : RankTable.noRank
            pairRanks[index] = pair
            if pair != RankTable.noRank { queue.appendUnordered(MergeQueue.key(rank: pair, position: index)) }
        }
        queue.heapify()

        while let key = queue.popMin() {
            let rank = UInt32(truncatingIfNeeded: key >> MergeQueue.positionBits)
            let left = Int(truncatingIfNeeded: key & MergeQueue.positionMask)
            guard pairRanks[left] == rank else { continue }
            let right = ends[left]
            let end = ends[right]
            partRanks[left] = rank
            ends[left] = end
            pairRanks[right] = RankTable.noRank
            if end < byteCount {
                previous[end] = left
                let pair = ranks.rank(piece + left, ends[end] - left)
                pairRanks[left] = pair
                if pair != RankTable.noRank { queue.push(MergeQueue.key(rank: pair, position: left)) }
            } else {
                pairRanks[left] = RankTable.noRank
            }
            if left > 0 {
                let before = previous[left]
                let pair = ranks.rank(piece + before, end - before)
                pairRanks[before] = pair
                if pair != RankTable.noRank { queue.push(MergeQueue.key(rank: pair, position: before)) }
            }
        }
        var index = 0
        while index < byteCount {
            sink.emit(partRanks[index])
            index = ends[index]
        }
    }
}
