/// A check a model step's answer must pass, beyond its output schema. An answer that fails
/// it escalates the step to the next deeper tier: try the cheap tier first, pay for depth only
/// when the answer shows it was needed.
///
/// ```swift
/// ModelStep("extract", prompt: "...")
///     .output(invoiceSchema)
///     .validate("totals add up") { output in
///         output["total"]?.numberValue == output["lines"]?.arrayValue?.compactMap { $0["amount"]?.numberValue }.reduce(0, +)
///             ? nil : "line amounts do not add up to the total"
///     }
/// ```
public struct OutputValidator: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Rule: Sendable {
        /// The output (the parsed answer, or the text as a JSON string) must conform.
        case schema(JSONSchema)
        /// Returns why the output is not good enough, or `nil` when it is.
        case check(@Sendable (JSONValue) -> String?)
    }

    /// Names the check in records and errors; compared for equality, since code can't be.
    public var name: String
    public var rule: Rule

    public init(name: String, rule: Rule) {
        self.name = name
        self.rule = rule
    }

    /// Why `output` fails, or `nil` when it passes.
    public func problem(with output: JSONValue) -> String? {
        switch rule {
        case .schema(let schema):
            let violations = schema.violations(of: output)
            return violations.isEmpty ? nil : violations.joined(separator: "; ")
        case .check(let check):
            return check(output)
        }
    }

    public var description: String { name }

    public static func == (lhs: OutputValidator, rhs: OutputValidator) -> Bool {
        switch (lhs.rule, rhs.rule) {
        case (.schema(let left), .schema(let right)): lhs.name == rhs.name && left == right
        case (.check, .check): lhs.name == rhs.name
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }

    private enum CodingKeys: String, CodingKey { case name, schema }

    /// A schema validator round-trips; a Swift check is code, and a workflow holding one
    /// can be encoded (to show it) but not decoded.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        guard let schema = try container.decodeIfPresent(JSONSchema.self, forKey: .schema) else {
            throw DecodingError.dataCorruptedError(
                forKey: .schema, in: container,
                debugDescription: "validator '\(name)' is Swift code and cannot be restored from JSON")
        }
        rule = .schema(schema)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        if case .schema(let schema) = rule { try container.encode(schema, forKey: .schema) }
    }
}

extension ModelStep {
    /// The answer must also conform to `schema`; one that does not escalates to a deeper tier.
    public func validate(_ name: String = "schema", schema: JSONSchema) -> ModelStep {
        var copy = self
        copy.validator = OutputValidator(name: name, rule: .schema(schema))
        return copy
    }

    /// The answer must pass `check` (which returns why it fails, or `nil`); one that fails
    /// escalates to a deeper tier.
    public func validate(_ name: String, _ check: @escaping @Sendable (JSONValue) -> String?) -> ModelStep {
        var copy = self
        copy.validator = OutputValidator(name: name, rule: .check(check))
        return copy
    }
}
