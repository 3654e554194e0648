import Foundation
import Synchronization

/// Identifies one run of a workflow.
public struct RunID: RawRepresentable, Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// A new id, `run_` followed by 20 hex digits: 12 of the milliseconds since 1970, then 8
    /// that tell apart the ids made in the same millisecond (like a UUIDv7 or ULID).
    ///
    /// Time first so that ids made close together sort close together: every table and index
    /// the ledger keys by run id then grows at its end, where the runs of one group commit
    /// share pages, instead of touching a random page per run (a random id cost a busy
    /// server's ledger several extra page writes per run). The last 8 digits count up from a
    /// random start, so one process never makes the same id twice in a millisecond (32 random
    /// bits alone would, at a few thousand runs a second, a few times a month), and two
    /// processes start far apart.
    public static func random() -> RunID {
        random(at: UInt64(max(Date().timeIntervalSince1970 * 1000, 0)))
    }

    /// The id made at `milliseconds` since 1970 (only its low 48 bits count).
    static func random(at milliseconds: UInt64) -> RunID {
        let sequence = sequence.wrappingAdd(1, ordering: .relaxed).newValue
        return RunID("run_" + hex(milliseconds & 0xFFFF_FFFF_FFFF, digits: 12) + hex(UInt64(sequence), digits: 8))
    }

    /// The process's counter for the ids' last digits, from a random start.
    private static let sequence = Atomic<UInt32>(UInt32.random(in: .min ... .max))

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(digits - text.count, 0)) + text
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.rawValue < rhs.rawValue }
}
