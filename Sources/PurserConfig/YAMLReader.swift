import Purser
import Yams

/// Reads typed values out of a composed YAML tree, collecting every problem with its key path
/// and line instead of stopping at the first.
///
/// Values are read from each scalar's source text, never through Yams' own type resolution:
/// money must not pass through `Double`, and a string such as `no` (Norway's jurisdiction)
/// must not turn into a boolean.
struct YAMLReader {
    let file: String
    private(set) var problems: [ConfigurationError.Problem] = []

    init(file: String) {
        self.file = file
    }

    mutating func report(_ message: String, at path: ConfigKeyPath, line: Int?) {
        problems.append(ConfigurationError.Problem(file: file, line: line, keyPath: path.description, message: message))
    }

    mutating func report(_ message: String, at path: ConfigKeyPath, node: YAMLNode?) {
        report(message, at: path, line: node?.mark?.line)
    }

    // MARK: Structure

    /// A mapping's members, with unknown keys reported (so typos are caught rather than ignored).
    mutating func mapping(_ node: YAMLNode, at path: ConfigKeyPath, keys known: [String]) -> YAMLMapping? {
        guard case .mapping(let mapping) = node else {
            report("expected a mapping of \(Self.list(known)), got \(Self.describe(node))", at: path, node: node)
            return nil
        }
        var members: [String: YAMLMapping.Member] = [:]
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                report("expected a key such as '\(known.first ?? "name")', got \(Self.describe(key))", at: path, node: key)
                continue
            }
            guard known.contains(scalar.string) else {
                report(
                    "unknown key\(Self.suggestion(for: scalar.string, among: known)) (known: \(known.joined(separator: ", ")))",
                    at: path.appending(scalar.string), node: key)
                continue
            }
            members[scalar.string] = YAMLMapping.Member(key: key, value: value)
        }
        return YAMLMapping(node: node, path: path, members: members)
    }

    mutating func sequence(_ node: YAMLNode, at path: ConfigKeyPath) -> [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            report("expected a list, got \(Self.describe(node))", at: path, node: node)
            return nil
        }
        return Array(sequence)
    }

    /// The value under `key`, reporting it when it is absent (or null) and `required`.
    mutating func value(_ key: String, in map: YAMLMapping, required: Bool) -> YAMLNode? {
        if let value = map.value(key) { return value }
        if required {
            if let member = map.member(key) {
                report("has no value; it is required", at: map.path.appending(key), node: member.key)
            } else {
                report("missing; it is required", at: map.path.appending(key), node: map.node)
            }
        }
        return nil
    }

    /// Reads the value under `key` with `read`, or returns nil (reporting it if `required`).
    mutating func field<T>(
        _ key: String, in map: YAMLMapping, required: Bool = true,
        _ read: (inout YAMLReader, YAMLNode, ConfigKeyPath) -> T?
    ) -> T? {
        guard let node = value(key, in: map, required: required) else { return nil }
        return read(&self, node, map.path.appending(key))
    }

    // MARK: Scalars

    /// Any scalar's text (`model: 4` is the model "4"); a null is not a string.
    mutating func string(_ node: YAMLNode, at path: ConfigKeyPath) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(scalar) else {
            report("expected a string, got \(Self.describe(node))", at: path, node: node)
            return nil
        }
        return scalar.string
    }

    /// A whole number, plain (unquoted); `_` may group digits (`1_047_576`).
    mutating func integer(_ node: YAMLNode, at path: ConfigKeyPath, example: String) -> Int? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            let text = scalar.string.replacingOccurrences(of: "_", with: "")
            if let value = Int(text), !scalar.string.hasPrefix("_") { return value }
        }
        report("expected a whole number such as \(example), got \(Self.describe(node))", at: path, node: node)
        return nil
    }

    /// A decimal number, plain (unquoted); `_` may group digits.
    mutating func number(_ node: YAMLNode, at path: ConfigKeyPath, example: String) -> Double? {
        if case .scalar(let scalar) = node, scalar.style == .plain, !scalar.string.hasPrefix("_") {
            let text = scalar.string.replacingOccurrences(of: "_", with: "")
            if Self.isDecimalNumber(text), let value = Double(text) { return value }
        }
        report("expected a number such as \(example), got \(Self.describe(node))", at: path, node: node)
        return nil
    }

    /// `true` or `false` (YAML 1.2's spellings only: `yes`/`no` are strings).
    mutating func boolean(_ node: YAMLNode, at path: ConfigKeyPath) -> Bool? {
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        report("expected true or false, got \(Self.describe(node))", at: path, node: node)
        return nil
    }

    /// A non-negative amount with at most six decimal places, parsed from the exact text written
    /// (plain or quoted), never through a binary float.
    mutating func money(_ node: YAMLNode, at path: ConfigKeyPath) -> Money? {
        guard case .scalar(let scalar) = node, !Self.isNull(scalar) else {
            report("expected a decimal amount such as 0.15, got \(Self.describe(node))", at: path, node: node)
            return nil
        }
        let text = scalar.string
        do {
            let amount = try Money(parsing: text)
            guard amount >= .zero else {
                report("must not be negative, got '\(text)'", at: path, node: node)
                return nil
            }
            return amount
        } catch .tooPrecise {
            report(
                "'\(text)' has more than 6 decimal places (amounts are exact to 0.000001)", at: path, node: node)
        } catch .outOfRange {
            report("'\(text)' is too large", at: path, node: node)
        } catch {
            report("expected a decimal amount such as 0.15, got '\(text)'", at: path, node: node)
        }
        return nil
    }

    /// One of an enumeration's raw values.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, at path: ConfigKeyPath, as type: T.Type) -> T?
    where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        if case .scalar(let scalar) = node, let value = T(rawValue: scalar.string) { return value }
        report("expected one of \(names.joined(separator: ", ")), got \(Self.describe(node))", at: path, node: node)
        return nil
    }

    // MARK: Helpers

    static func isNull(_ scalar: YAMLNode.Scalar) -> Bool {
        scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// Digits with an optional sign, point and exponent: what a person writes for seconds or
    /// tokens per second (YAML's `.inf` and `0x10` are not).
    static func isDecimalNumber(_ text: String) -> Bool {
        text.contains(where: \.isASCIIDigitCharacter) && text.allSatisfy { "0123456789+-.eE".contains($0) }
            && Double(text) != nil
    }

    /// How a node looks in an error message: a scalar's text, else its kind.
    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar): isNull(scalar) ? "nothing" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    static func list(_ keys: [String]) -> String {
        keys.count <= 3 ? keys.joined(separator: ", ") : keys.prefix(3).joined(separator: ", ") + ", ..."
    }

    /// " (did you mean 'prices'?)" when a known key is a small edit away.
    static func suggestion(for key: String, among known: [String]) -> String {
        let lowered = key.lowercased().replacingOccurrences(of: "-", with: "_")
        let best = known.map { ($0, editDistance(lowered, $0)) }.min { $0.1 < $1.1 }
        guard let (name, distance) = best, distance <= max(2, name.count / 3) else { return "" }
        return " (did you mean '\(name)'?)"
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}

/// A YAML mapping whose keys have been checked against the known ones.
struct YAMLMapping {
    struct Member {
        let key: YAMLNode
        let value: YAMLNode
    }

    let node: YAMLNode
    let path: ConfigKeyPath
    let members: [String: Member]

    func member(_ key: String) -> Member? { members[key] }

    /// The value under `key`; nil when it is absent or written as null (`key:` or `key: ~`).
    func value(_ key: String) -> YAMLNode? {
        guard let value = members[key]?.value else { return nil }
        if case .scalar(let scalar) = value, YAMLReader.isNull(scalar) { return nil }
        return value
    }

    /// The line of `key`'s value if present, else of the mapping.
    func line(of key: String) -> Int? {
        (members[key]?.value.mark ?? node.mark)?.line
    }
}

/// Yams' node; the core `Purser` module has a `Node` of its own (a workflow graph node).
typealias YAMLNode = Yams.Node
