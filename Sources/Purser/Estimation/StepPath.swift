/// A step's place in a workflow, the same for every instance of it: `clauses/assess` for
/// every clause, `research` for every iteration of an agent loop, `brief/brief` inside a
/// sub-workflow. Learned history is keyed by it.
public enum StepPath {
    /// The path of a step-instance key: drops for-each indexes (`[3]`) and loop iterations (`#2`).
    public static func of(key: String) -> String {
        // Most keys (top-level steps) have no markers: no need to rebuild them.
        if !key.utf8.contains(where: { $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "#") }) { return key }
        var out = ""
        out.reserveCapacity(key.utf8.count)
        var skipping: Character?
        for character in key {
            if let closing = skipping {
                if closing == "]", character == "]" { skipping = nil }
                if closing == "/", character == "/" {
                    skipping = nil
                    out.append("/")
                }
                continue
            }
            switch character {
            case "[": skipping = "]"
            case "#": skipping = "/"
            default: out.append(character)
            }
        }
        return out
    }
}
