/// Why a list of tokens cannot be an ``AuthConfiguration``: every problem, each naming the
/// token and field.
public struct AuthConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One thing wrong with one token.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The token's position in the list given to ``AuthConfiguration/init(tokens:)``.
        public var tokenIndex: Int
        public var tokenName: String
        /// The field's configuration key: `name` or `sha256`.
        public var field: String
        public var message: String
        /// For a duplicate name or hash: the earlier token that has it too.
        public var duplicateOf: Int?

        public init(tokenIndex: Int, tokenName: String, field: String, message: String, duplicateOf: Int? = nil) {
            self.tokenIndex = tokenIndex
            self.tokenName = tokenName
            self.field = field
            self.message = message
            self.duplicateOf = duplicateOf
        }

        public var description: String {
            let earlier = duplicateOf.map { ": tokens[\($0)] has it too" } ?? ""
            return "tokens[\(tokenIndex)]: \(field): \(message)\(earlier)"
        }
    }

    /// In token order, never empty.
    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return "the API tokens have \(count):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
