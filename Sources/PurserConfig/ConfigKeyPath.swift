/// Where a value sits in the configuration document, written as people read it:
/// `tiers[2].prices.output`.
struct ConfigKeyPath: Sendable, Hashable, CustomStringConvertible {
    enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    private(set) var components: [Component] = []

    static let root = ConfigKeyPath()

    func appending(_ key: String) -> ConfigKeyPath {
        var copy = self
        // A dotted field name (`prices.output`) is several keys.
        for part in key.split(separator: ".") { copy.components.append(.key(String(part))) }
        return copy
    }

    func appending(index: Int) -> ConfigKeyPath {
        var copy = self
        copy.components.append(.index(index))
        return copy
    }

    var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}
