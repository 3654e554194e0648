/// Deterministic source code in a Swift- and Python-like mix: indentation,
/// camelCase and snake_case identifiers, string literals, numbers, operators and
/// comments. Code cuts into many short pieces and long whitespace runs, which
/// stresses the pre-tokenizer differently from prose.
struct CodeGenerator {
    private static let nouns = ["user", "order", "token", "budget", "request", "response", "cache", "index", "value", "node", "graph", "step"]
    private static let verbs = ["load", "save", "parse", "encode", "compute", "merge", "update", "fetch", "render", "validate"]
    private static let types = ["Int", "String", "Double", "[String: Int]", "Bool", "Data", "URL", "[UInt8]"]

    var rng: SplitMix64

    /// Appends functions until `text` holds at least `byteCount` UTF-8 bytes.
    mutating func generate(byteCount: Int) -> String {
        var text = ""
        text.reserveCapacity(byteCount + 1024)
        while text.utf8.count < byteCount {
            text += Bool.random(using: &rng) ? swiftFunction() : pythonFunction()
            text += "\n"
        }
        return text
    }

    private mutating func identifier(camel: Bool) -> String {
        let verb = rng.pick(Self.verbs)
        let noun = rng.pick(Self.nouns)
        return camel ? verb + noun.prefix(1).uppercased() + noun.dropFirst() : verb + "_" + noun
    }

    private mutating func number() -> String {
        Bool.random(using: &rng) ? String(Int.random(in: 0...4096, using: &rng)) : String(Double(Int.random(in: 0...9999, using: &rng)) / 100)
    }

    private mutating func swiftFunction() -> String {
        let name = identifier(camel: true)
        let noun = rng.pick(Self.nouns)
        let type = rng.pick(Self.types)
        var lines = [
            "/// \(name.prefix(1).uppercased() + name.dropFirst()) the \(noun) and return the result.",
            "func \(name)(_ \(noun): \(type), limit: Int = \(Int.random(in: 1...100, using: &rng))) async throws -> \(type) {",
        ]
        for _ in 0..<Int.random(in: 2...8, using: &rng) {
            let variable = rng.pick(Self.nouns) + String(Int.random(in: 0...9, using: &rng))
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: lines.append("    let \(variable) = try await \(identifier(camel: true))(\(noun), limit: \(number()))")
            case 1: lines.append("    guard \(variable) != nil else { throw StoreError.missing(\"\(variable)\") }")
            case 2: lines.append("    for index in 0..<\(variable).count where index % \(Int.random(in: 2...7, using: &rng)) == 0 {\n        total += \(variable)[index] * \(number())\n    }")
            case 3: lines.append("    // TODO: cache the \(noun) (see issue #\(Int.random(in: 1...999, using: &rng)))")
            default: lines.append("    if \(variable).isEmpty && limit > \(number()) { return \(noun) }")
            }
        }
        lines.append("    return \(noun)\n}\n")
        return lines.joined(separator: "\n")
    }

    private mutating func pythonFunction() -> String {
        let name = identifier(camel: false)
        let noun = rng.pick(Self.nouns)
        var lines = ["def \(name)(\(noun), limit=\(Int.random(in: 1...100, using: &rng))):", "    \"\"\"\(name.replacingOccurrences(of: "_", with: " ").capitalized).\"\"\""]
        for _ in 0..<Int.random(in: 2...8, using: &rng) {
            let variable = rng.pick(Self.nouns) + "_" + String(Int.random(in: 0...9, using: &rng))
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: lines.append("    \(variable) = \(identifier(camel: false))(\(noun), limit=\(number()))")
            case 1: lines.append("    if not \(variable):\n        raise ValueError(f\"missing {\(variable)!r}\")")
            case 2: lines.append("    for i, item in enumerate(\(variable)):\n        total += item ** 2 + \(number())  # accumulate")
            default: lines.append("    result[\"\(variable)\"] = [x for x in \(noun) if x > \(number())]")
            }
        }
        lines.append("    return \(noun)\n")
        return lines.joined(separator: "\n")
    }
}
