/// Hashing and keying of byte slices, read in place.
///
/// The rank table is probed once per piece and once per candidate pair during
/// merging, so a probe must not allocate and must read whole words. A slice's
/// first (up to) eight bytes, zero-padded, form its `prefixWord`: for the 80% of
/// tokens that are at most 8 bytes long it *is* the token, so the table can
/// store it inline and confirm a match without touching the token bytes. Nothing
/// here reads outside `[start, start + count)`, so a slice at the very end of a
/// buffer is safe.
enum ByteSliceHash {
    private static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let multiplier: UInt64 = 0xBF58_476D_1CE4_E5B9

    /// The first `min(count, 8)` bytes as a little-endian word, zero-padded.
    @inline(__always)
    static func prefixWord(_ start: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(start)
        if count >= 8 { return raw.loadUnaligned(as: UInt64.self) }
        if count >= 4 {
            // Two overlapping 4-byte loads; the overlap ORs equal bytes onto each other.
            let low = UInt64(raw.loadUnaligned(as: UInt32.self))
            let high = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << (8 * UInt64(count - 4))
        }
        if count >= 2 {
            let low = UInt64(raw.loadUnaligned(as: UInt16.self))
            return count == 3 ? low | UInt64(start[2]) << 16 : low
        }
        return count == 1 ? UInt64(start[0]) : 0
    }

    /// The slice's hash, given its `prefixWord`.
    @inline(__always)
    static func hash(_ start: UnsafePointer<UInt8>, _ count: Int, prefixWord: UInt64) -> UInt64 {
        var h = mix(UInt64(truncatingIfNeeded: count) &* seed, prefixWord)
        if count > 8 {
            let raw = UnsafeRawPointer(start)
            var offset = 8
            while offset + 8 < count {
                h = mix(h, raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                offset += 8
            }
            h = mix(h, raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
        }
        h ^= h >> 31
        h = h &* multiplier
        return h ^ (h >> 29)
    }

    @inline(__always)
    private static func mix(_ h: UInt64, _ word: UInt64) -> UInt64 {
        let x = (h ^ word) &* multiplier
        return x ^ (x >> 32)
    }
}
