/// The character classes that tiktoken's split patterns test, as one byte of flags
/// per Unicode scalar.
///
/// The patterns only ever ask "is this a letter / number / whitespace / …", so a
/// scalar's answers are computed once from its Unicode properties and then read
/// from `ScalarClassTable` instead of re-deriving the general category per use.
struct ScalarClass: OptionSet, Sendable {
    let rawValue: UInt8

    /// `\p{L}`: Lu, Ll, Lt, Lm, Lo.
    static let letter = ScalarClass(rawValue: 1 << 0)
    /// `\p{N}`: Nd, Nl, No.
    static let number = ScalarClass(rawValue: 1 << 1)
    /// `\s` of the Rust `regex` crate: the Unicode White_Space property.
    static let whitespace = ScalarClass(rawValue: 1 << 2)
    /// Exactly `\r` or `\n` (the patterns' `[\r\n]`; other line breaks do not count).
    static let newline = ScalarClass(rawValue: 1 << 3)
    /// o200k's `[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]`: what may start a capitalised word.
    static let upperish = ScalarClass(rawValue: 1 << 4)
    /// o200k's `[\p{Ll}\p{Lm}\p{Lo}\p{M}]`: what may continue a word in lower case.
    static let lowerish = ScalarClass(rawValue: 1 << 5)

    /// Whether any flag of `other` is set (cheaper to read than `!isDisjoint(with:)`).
    @inline(__always)
    func intersects(_ other: ScalarClass) -> Bool { rawValue & other.rawValue != 0 }

    /// Anything that is neither a letter, a number nor whitespace: the patterns'
    /// `[^\s\p{L}\p{N}]`. Marks (`\p{M}`) are in here, as they are for the regex.
    @inline(__always)
    var isPunctuation: Bool { !intersects([.letter, .number, .whitespace]) }

    /// `[^\r\n\p{L}\p{N}]`: what may prefix a word as its leading space or symbol.
    @inline(__always)
    var canPrefixWord: Bool { !intersects([.letter, .number, .newline]) }

    /// The Unicode version of the reference's tables: tiktoken 0.14.0 matches with
    /// the Rust `regex` crate, whose tables are Unicode 16.0. The standard library
    /// may be newer (Swift 6.3 has 17.0); scalars assigned later are unassigned
    /// (`\p{Cn}`) to the reference, so they must classify as plain symbols here.
    static let referenceUnicodeVersion = (major: 16, minor: 0)

    /// Derives the flags from the scalar's Unicode properties.
    init(_ scalar: Unicode.Scalar) {
        var flags: ScalarClass = []
        let properties = scalar.properties
        if let age = properties.age,
           (age.major, age.minor) > Self.referenceUnicodeVersion {
            self = []
            return
        }
        switch properties.generalCategory {
        case .uppercaseLetter, .titlecaseLetter:
            flags = [.letter, .upperish]
        case .lowercaseLetter:
            flags = [.letter, .lowerish]
        case .modifierLetter, .otherLetter:
            flags = [.letter, .upperish, .lowerish]
        case .nonspacingMark, .spacingMark, .enclosingMark:
            flags = [.upperish, .lowerish]
        case .decimalNumber, .letterNumber, .otherNumber:
            flags = [.number]
        default:
            break
        }
        if properties.isWhitespace { flags.insert(.whitespace) }
        if scalar == "\r" || scalar == "\n" { flags.insert(.newline) }
        self = flags
    }

    init(rawValue: UInt8) { self.rawValue = rawValue }
}
