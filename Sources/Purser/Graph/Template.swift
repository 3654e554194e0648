/// Text with `{{reference}}` holes, filled from the run input and earlier outputs.
///
/// References: `input.PATH`, `steps.ID.PATH`, and inside a for-each `item.PATH` and
/// `index`. A path walks object members and array indexes (`steps.plan.tasks.0`).
/// A template that is nothing but one reference yields the referenced JSON value
/// itself, so tool arguments keep their types; elsewhere values are inserted as text
/// (strings as they are, the rest as compact JSON).
///
/// Parsed once when the workflow is defined; a malformed template is reported by
/// validation, never at run time.
public struct Template: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case text(String)
        case reference(Reference)
    }

    public let source: String
    let segments: [Segment]
    /// Why the source could not be parsed, if it could not.
    let problem: String?

    public init(_ source: String) {
        self.source = source
        switch Template.parse(source) {
        case .success(let segments):
            self.segments = segments
            self.problem = nil
        case .failure(let error):
            self.segments = [.text(source)]
            self.problem = error.reason
        }
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// `"Step \(n): {{input.x}}"`: Swift interpolation happens first, then the result is parsed.
    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }

    public var description: String { source }

    /// Every reference the template makes, in order.
    public var references: [Reference] {
        segments.compactMap { if case .reference(let reference) = $0 { reference } else { nil } }
    }

    /// The single reference when the template is exactly one `{{...}}` and nothing else.
    var soleReference: Reference? {
        if segments.count == 1, case .reference(let reference) = segments[0] { return reference }
        return nil
    }

    public static func == (lhs: Template, rhs: Template) -> Bool { lhs.source == rhs.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    private struct ParseFailure: Error { let reason: String }

    private static func parse(_ source: String) -> Result<[Segment], ParseFailure> {
        var segments: [Segment] = []
        var rest = Substring(source)
        while let open = rest.range(of: "{{") {
            if open.lowerBound > rest.startIndex {
                segments.append(.text(String(rest[..<open.lowerBound])))
            }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.range(of: "}}") else {
                return .failure(ParseFailure(reason: "'{{' without a closing '}}'"))
            }
            let inner = afterOpen[..<close.lowerBound].trimmingCharacters(in: " ")
            switch Reference.parse(inner) {
            case .success(let reference): segments.append(.reference(reference))
            case .failure(let error): return .failure(ParseFailure(reason: error.reason))
            }
            rest = afterOpen[close.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return .success(segments)
    }
}

extension Template: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }
}

extension Substring {
    func trimmingCharacters(in character: Character) -> Substring {
        var result = self
        while result.first == character { result.removeFirst() }
        while result.last == character { result.removeLast() }
        return result
    }
}
