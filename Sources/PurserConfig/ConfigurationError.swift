/// Why `purser.yaml` cannot be used: every problem found, each with the line and key that
/// caused it, so a person can fix them all in one pass.
///
/// Each problem reads like a compiler diagnostic:
/// `purser.yaml:14: tiers[2].prices.output: expected a decimal amount such as 0.15, got 'abc'`.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// One thing wrong, and where.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The file as it was named when loading (a path, or a label for text).
        public var file: String
        /// 1-based; `nil` when the problem is not about one place (the file cannot be read).
        public var line: Int?
        /// Where in the document: `tiers[2].prices.output`; empty for the document as a whole.
        public var keyPath: String
        public var message: String

        public init(file: String, line: Int?, keyPath: String, message: String) {
            self.file = file
            self.line = line
            self.keyPath = keyPath
            self.message = message
        }

        public var description: String {
            let place = line.map { "\(file):\($0)" } ?? file
            return keyPath.isEmpty ? "\(place): \(message)" : "\(place): \(keyPath): \(message)"
        }
    }

    /// The file that was loaded.
    public var file: String
    /// In document order (by line), never empty.
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    /// One problem a line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
