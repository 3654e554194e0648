/// Something a step needs a tier to be able to do.
public enum Capability: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Accepts tool definitions and answers with tool calls.
    case tools
    /// Can be held to a JSON schema for its answer.
    case json

    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a tier runs, in the sense regulators care about (`uk`, `eu`, `us`, `local`).
public struct Jurisdiction: RawRepresentable, Sendable, Codable, Hashable, Comparable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: Jurisdiction, rhs: Jurisdiction) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let uk: Jurisdiction = "uk"
    public static let eu: Jurisdiction = "eu"
    public static let us: Jurisdiction = "us"
    public static let local: Jurisdiction = "local"
}
