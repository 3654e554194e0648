/// The text being split, as UTF-8 bytes, with scalar-level questions answered in
/// place: the pre-tokenizers walk bytes and only decode a scalar when its first
/// byte is not ASCII.
///
/// It is a view over a String's own storage (no copy) and is only valid inside
/// the `withContiguousStorageIfAvailable` call that produced it.
struct UTF8Text {
    let base: UnsafePointer<UInt8>
    let count: Int
    private let classes: UnsafeMutablePointer<ScalarClass>

    init(base: UnsafePointer<UInt8>, count: Int, classes: ScalarClassTable) {
        self.base = base
        self.count = count
        self.classes = classes.flags
    }

    @inline(__always)
    subscript(index: Int) -> UInt8 { base[index] }

    /// The class and UTF-8 length of the scalar starting at `index` (< `count`).
    ///
    /// The input comes from a Swift `String`, so it is valid UTF-8; a truncated
    /// sequence is still answered (as a 1-byte symbol) rather than read past the end.
    @inline(__always)
    func scalar(at index: Int) -> (class: ScalarClass, length: Int) {
        let lead = base[index]
        if lead < 0x80 { return (classes[Int(lead)], 1) }
        return multiByteScalar(at: index, lead: lead)
    }

    @inline(never)
    private func multiByteScalar(at index: Int, lead: UInt8) -> (class: ScalarClass, length: Int) {
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard lead >= 0xC0, index + length <= count else { return ([], 1) }
        var value = UInt32(lead) & (0x7F >> length)
        for offset in 1..<length {
            value = value << 6 | UInt32(base[index + offset] & 0x3F)
        }
        if value < ScalarClassTable.coveredScalars { return (classes[Int(value)], length) }
        return (Unicode.Scalar(value).map(ScalarClass.init) ?? [], length)
    }

    /// The first index at or after `index` whose scalar lacks `flag`.
    @inline(__always)
    func skipping(_ flag: ScalarClass, from index: Int) -> Int {
        var position = index
        while position < count {
            let (flags, length) = scalar(at: position)
            guard flags.contains(flag) else { break }
            position += length
        }
        return position
    }

    /// The end of a run of up to three `\p{N}` scalars whose first one ends at
    /// `afterFirst` (the patterns' `\p{N}{1,3}`).
    @inline(__always)
    func numberRunEnd(afterFirst: Int) -> Int {
        var position = afterFirst
        for _ in 0..<2 where position < count {
            let (flags, length) = scalar(at: position)
            guard flags.contains(.number) else { break }
            position += length
        }
        return position
    }

    /// The first index at or after `index` whose scalar is a letter, number or
    /// whitespace (the end of the patterns' `[^\s\p{L}\p{N}]+`).
    @inline(__always)
    func punctuationRunEnd(from index: Int) -> Int {
        var position = index
        while position < count {
            let (flags, length) = scalar(at: position)
            guard flags.isPunctuation else { break }
            position += length
        }
        return position
    }

    /// The start of the scalar that ends at `index` (which must be > 0).
    @inline(__always)
    func scalarStart(before index: Int) -> Int {
        var position = index - 1
        while position > 0 && base[position] & 0xC0 == 0x80 { position -= 1 }
        return position
    }

    /// The end of the case-insensitive contraction `'s 't 're 've 'm 'll 'd`
    /// starting at `index`, or nil when there is none.
    ///
    /// Case-insensitivity follows the Rust regex crate's simple case folding, under
    /// which `s` also matches `ſ` (U+017F LATIN SMALL LETTER LONG S); none of the
    /// other letters has a non-ASCII fold.
    @inline(__always)
    func contractionEnd(at index: Int) -> Int? {
        guard index + 1 < count, base[index] == UInt8(ascii: "'") else { return nil }
        let first = base[index + 1]
        switch first | 0x20 {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return index + 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return followedByLetter("e", at: index + 2) ? index + 3 : nil
        case UInt8(ascii: "l"):
            return followedByLetter("l", at: index + 2) ? index + 3 : nil
        default:
            if first == 0xC5, index + 2 < count, base[index + 2] == 0xBF { return index + 3 }
            return nil
        }
    }

    @inline(__always)
    private func followedByLetter(_ lowercase: Unicode.Scalar, at index: Int) -> Bool {
        index < count && base[index] | 0x20 == UInt8(ascii: lowercase)
    }
}
