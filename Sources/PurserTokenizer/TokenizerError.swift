/// A rank file could not be used: it names the file, the line (when one line is
/// to blame) and the problem, so a bad vocabulary is fixed without a debugger.
///
/// A struct around a private enum (like the rest of Purser's public errors), so
/// new kinds of problem can be added without breaking callers' `switch`es.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of problem, for callers and tests that react to it.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case unreadable, empty, missingRank, extraField, invalidBase64, invalidRank
            case rankTooLarge, duplicateRank, duplicateToken, missingByteToken
        }

        fileprivate let base: Base

        /// The file could not be read at all (missing resource, I/O error).
        public static let unreadable = Kind(base: .unreadable)
        /// The file holds no `token rank` lines.
        public static let empty = Kind(base: .empty)
        /// A line has a token but no rank after it.
        public static let missingRank = Kind(base: .missingRank)
        /// A line has more than the two fields `base64-token rank`.
        public static let extraField = Kind(base: .extraField)
        /// The token field is not valid padded standard base64.
        public static let invalidBase64 = Kind(base: .invalidBase64)
        /// The rank field is not a non-negative decimal integer.
        public static let invalidRank = Kind(base: .invalidRank)
        /// The rank is larger than this implementation stores (2^24 - 1).
        public static let rankTooLarge = Kind(base: .rankTooLarge)
        /// The rank was already given to another token on an earlier line.
        public static let duplicateRank = Kind(base: .duplicateRank)
        /// The token bytes were already listed on an earlier line.
        public static let duplicateToken = Kind(base: .duplicateToken)
        /// Byte-pair encoding needs every single byte as a token; one is missing.
        public static let missingByteToken = Kind(base: .missingByteToken)

        public var description: String { base.rawValue }
    }

    /// The file's name (last path component), as a person would look for it.
    public let file: String
    /// The 1-based line to blame, or nil when the problem is the whole file.
    public let line: Int?
    /// What kind of problem it is.
    public let kind: Kind
    /// The problem in words, with the offending text where there is some.
    public let detail: String

    init(file: String, line: Int?, problem: RankFileProblem) {
        self.file = file
        self.line = line
        self.kind = problem.kind
        self.detail = problem.explanation
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return "bad rank file \(place): \(detail)"
    }
}

/// What the parser found wrong, before it knows which file and line it is in.
enum RankFileProblem: Error, Equatable {
    case unreadable(String)
    case empty
    case missingRank
    case extraField
    case invalidBase64(String)
    case invalidRank(String)
    case rankTooLarge(String)
    case duplicateRank(Int, firstLine: Int)
    case duplicateToken(firstLine: Int)
    case missingByteToken(UInt8)

    var kind: TokenizerError.Kind {
        switch self {
        case .unreadable: .unreadable
        case .empty: .empty
        case .missingRank: .missingRank
        case .extraField: .extraField
        case .invalidBase64: .invalidBase64
        case .invalidRank: .invalidRank
        case .rankTooLarge: .rankTooLarge
        case .duplicateRank: .duplicateRank
        case .duplicateToken: .duplicateToken
        case .missingByteToken: .missingByteToken
        }
    }

    /// A one-line, human-readable account of the problem.
    var explanation: String {
        switch self {
        case .unreadable(let reason): "cannot read the file (\(reason))"
        case .empty: "no `base64-token rank` lines"
        case .missingRank: "missing rank after the token"
        case .extraField: "more than two fields (expected `base64-token rank`)"
        case .invalidBase64(let field): "token \(field.debugDescription) is not valid base64"
        case .invalidRank(let field): "rank \(field.debugDescription) is not a non-negative integer"
        case .rankTooLarge(let field): "rank \(field) exceeds the supported maximum \(RankTable.maximumRank)"
        case .duplicateRank(let rank, let firstLine): "rank \(rank) was already used on line \(firstLine)"
        case .duplicateToken(let firstLine): "token was already listed on line \(firstLine)"
        case .missingByteToken(let byte):
            "no token for the single byte 0x\(String(byte, radix: 16, uppercase: true)) (byte-pair encoding needs all 256)"
        }
    }
}
