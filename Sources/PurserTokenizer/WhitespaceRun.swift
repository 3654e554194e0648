/// What both split patterns' whitespace alternatives (`\s++$`, `\s*[\r\n]`,
/// `\s+(?!\S)`, `\s`) need to know about the run of whitespace at a position,
/// measured in one pass so that no alternative rescans it.
struct WhitespaceRun {
    /// Where the run of `\s` starting at the piece start ends.
    let end: Int
    /// One past the last `\r` or `\n` in the run, or nil when it has none.
    let afterLastNewline: Int?
    /// Where the run's last scalar starts.
    let lastScalarStart: Int
    /// How many scalars the run has (at least one).
    let scalarCount: Int

    @inline(__always)
    init(in text: UTF8Text, from start: Int) {
        var position = start
        var afterNewline: Int?
        var lastStart = start
        var scalars = 0
        while position < text.count {
            let (flags, length) = text.scalar(at: position)
            guard flags.contains(.whitespace) else { break }
            if flags.contains(.newline) { afterNewline = position + 1 }
            lastStart = position
            position += length
            scalars += 1
        }
        end = position
        afterLastNewline = afterNewline
        lastScalarStart = lastStart
        scalarCount = scalars
    }
}
