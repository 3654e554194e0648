/// `ScalarClass` for every scalar below U+20000 (the BMP and the plane holding
/// emoji and most historic scripts), built once per process on first use.
///
/// 128 KiB of flags turn the pre-tokenizer's per-scalar Unicode property queries
/// (around 100 ns each in the standard library) into one load. Scalars above the
/// table (rare CJK extensions, private use) are classified on the fly.
final class ScalarClassTable: @unchecked Sendable {
    /// Scalars with a value below this are in the table.
    static let coveredScalars = 0x20000

    /// The process-wide table. Written only while being built, then read-only,
    /// which is what makes the unchecked `Sendable` honest.
    static let shared = ScalarClassTable()

    let flags: UnsafeMutablePointer<ScalarClass>

    private init() {
        flags = .allocate(capacity: Self.coveredScalars)
        for value in 0..<Self.coveredScalars {
            // Surrogate code points are not scalars and never occur in a String.
            let flag = Unicode.Scalar(UInt32(value)).map(ScalarClass.init) ?? []
            (flags + value).initialize(to: flag)
        }
    }

    deinit { flags.deallocate() }
}
