/// The layout of one 16-byte slot of the rank hash table.
///
/// Two words side by side, so one probe touches one cache line:
/// - `prefix`: the token's `ByteSliceHash.prefixWord`, i.e. the whole token when
///   it is at most 8 bytes long;
/// - `meta`: hash tag (32 bits) | length, capped at 255 (8 bits) | rank (24 bits).
///   A token is never empty, so an occupied slot's `meta` is never 0.
enum RankSlot {
    /// `meta` of an empty slot.
    static let empty: UInt64 = 0
    static let rankMask: UInt64 = 0xFF_FFFF
    /// Lengths of 255 and more share the field's maximum value.
    static let lengthCap = 255

    /// The `meta` word up to the rank: what a probe compares.
    @inline(__always)
    static func key(hash: UInt64, length: Int) -> UInt64 {
        (hash >> 32) << 32 | UInt64(min(length, lengthCap)) << 24
    }

    @inline(__always)
    static func meta(hash: UInt64, length: Int, rank: Int) -> UInt64 {
        key(hash: hash, length: length) | UInt64(rank)
    }
}
