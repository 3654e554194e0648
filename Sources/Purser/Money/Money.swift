/// An exact amount of the deployment's currency, in integer millionths (micro-units).
///
/// Never a `Double`: budgets must add up to the last micro-unit however many
/// calls are summed. On the wire and in the CLI an amount is a decimal string
/// (`"0.0125"`), see ``init(parsing:)`` and ``description``.
public struct Money: Sendable, Hashable, Comparable {
    public static let microsPerUnit: Int64 = 1_000_000
    public static let zero = Money(micros: 0)

    public var micros: Int64

    public init(micros: Int64) {
        self.micros = micros
    }

    /// Whole units plus micro-units, for literals in code: `Money(units: 3)` is three dollars.
    public init(units: Int64, micros: Int64 = 0) {
        self.micros = units * Self.microsPerUnit + micros
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.micros < rhs.micros }
    public static func + (lhs: Money, rhs: Money) -> Money { Money(micros: lhs.micros + rhs.micros) }
    public static func - (lhs: Money, rhs: Money) -> Money { Money(micros: lhs.micros - rhs.micros) }
    public static func += (lhs: inout Money, rhs: Money) { lhs.micros += rhs.micros }
    public static func -= (lhs: inout Money, rhs: Money) { lhs.micros -= rhs.micros }
}

extension Money: CustomStringConvertible {
    /// The amount as a decimal string with no trailing zeros beyond two places: `"0.0125"`, `"3.00"`.
    public var description: String {
        var text: [UInt8] = []
        appendText(to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends ``description``'s text as UTF-8, digit by digit: the JSON writer puts amounts
    /// straight into its bytes this way, and `description` is this, decoded.
    func appendText(to bytes: inout [UInt8]) {
        let magnitude = micros.magnitude
        let perUnit = UInt64(Self.microsPerUnit)
        if micros < 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.appendDecimal(magnitude / perUnit, width: 1)
        bytes.append(UInt8(ascii: "."))
        // Six decimal places, trailing zeros dropped down to two.
        var fraction = magnitude % perUnit
        var places = 6
        while places > 2, fraction % 10 == 0 {
            fraction /= 10
            places -= 1
        }
        bytes.appendDecimal(fraction, width: places)
    }
}

extension [UInt8] {
    /// Appends `value` in decimal, zero-padded on the left to `width` digits (more if it needs
    /// them), without building a `String`.
    mutating func appendDecimal(_ value: UInt64, width: Int) {
        var power: UInt64 = 1
        var digits = 1
        while digits < width || power <= value / 10 {
            power *= 10
            digits += 1
        }
        var rest = value
        while power > 0 {
            append(UInt8(ascii: "0") + UInt8(rest / power))
            rest %= power
            power /= 10
        }
    }
}

extension Money {
    /// All six decimal places (`"0.000160"`), so amounts line up in tables.
    public var fixedDescription: String {
        let magnitude = micros.magnitude
        let fraction = String(magnitude % UInt64(Self.microsPerUnit))
        return (micros < 0 ? "-" : "") + "\(magnitude / UInt64(Self.microsPerUnit))."
            + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// Reads a decimal string such as `"12"`, `"0.0125"` or `"-3.5"`.
    ///
    /// Throws rather than rounding when the text has more than six decimal places,
    /// so finance never sets a cap other than the one it typed.
    public init(parsing text: String) throws(MoneyError) {
        let trimmed = text.trimmingSpaces
        var rest = Substring(trimmed)
        var negative = false
        if rest.hasPrefix("-") {
            negative = true
            rest = rest.dropFirst()
        } else if rest.hasPrefix("+") {
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty || parts.count == 2,
            whole.allSatisfy(\.isASCIIDigit)
        else { throw MoneyError.invalid(text) }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy(\.isASCIIDigit), !(whole.isEmpty && fraction.isEmpty) else {
            throw MoneyError.invalid(text)
        }
        guard fraction.count <= 6 else { throw MoneyError.tooPrecise(text) }
        guard let units = whole.isEmpty ? 0 : Int64(whole) else { throw MoneyError.outOfRange(text) }
        let paddedFraction = fraction + String(repeating: "0", count: 6 - fraction.count)
        let fractionMicros = Int64(paddedFraction)!
        let (scaled, overflow) = units.multipliedReportingOverflow(by: Self.microsPerUnit)
        guard !overflow else { throw MoneyError.outOfRange(text) }
        let (total, overflowed) = scaled.addingReportingOverflow(fractionMicros)
        guard !overflowed else { throw MoneyError.outOfRange(text) }
        self.micros = negative ? -total : total
    }
}

/// Why a text is not an amount of money.
public enum MoneyError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalid(String)
    case tooPrecise(String)
    case outOfRange(String)

    public var description: String {
        switch self {
        case .invalid(let text): "'\(text)' is not a decimal amount (write it like \"12.50\")"
        case .tooPrecise(let text): "'\(text)' has more than 6 decimal places"
        case .outOfRange(let text): "'\(text)' is too large"
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while scalars.first?.isWhitespace == true { scalars.removeFirst() }
        while scalars.last?.isWhitespace == true { scalars.removeLast() }
        return String(scalars)
    }
}

extension Money: Codable {
    /// Encoded as a decimal string, never as a binary floating-point number.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
