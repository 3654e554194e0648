/// A shell-style pattern on a price-map key: `*` matches any run of characters (slashes
/// included), `?` any one character, everything else itself, ignoring case.
///
/// `gpt-4.1*` matches `gpt-4.1`, `gpt-4.1-mini` and `gpt-4.1-nano-2025-04-14`;
/// `*/claude-*` matches every provider's Claude entries.
public struct ModelGlob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let characters: [Character]

    public init(_ pattern: String) {
        self.pattern = pattern
        characters = Array(pattern.lowercased())
    }

    public var description: String { pattern }

    /// Whether the whole of `text` matches.
    public func matches(_ text: String) -> Bool {
        let text = Array(text.lowercased())
        var p = 0, t = 0
        // Where the last `*` was, and where in the text it started matching: on a mismatch,
        // let that star swallow one more character and try again (linear in practice).
        var star: Int?, starText = 0
        while t < text.count {
            if p < characters.count, characters[p] == "?" || characters[p] == text[t] {
                p += 1
                t += 1
            } else if p < characters.count, characters[p] == "*" {
                star = p
                starText = t
                p += 1
            } else if let starAt = star {
                p = starAt + 1
                starText += 1
                t = starText
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
