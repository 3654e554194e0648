/// What a step can read while it runs: the input, the outputs of the steps visible to it,
/// and inside a for-each the current item. Scopes nest (a for-each item's scope sees its
/// parent's), and are values, so concurrent branches never share mutable state.
struct Scope: Sendable {
    var input: JSONValue
    var outputs: [String: JSONValue] = [:]
    var parent: ParentScope?
    var item: JSONValue?
    var index: Int?
    /// Prepended to step ids to form step-instance keys (`review[3]/`, `kyc/`).
    var keyPrefix: String = ""
    /// The workflow's jurisdictions, narrowed by any enclosing sub-workflow step.
    var jurisdictions: Set<Jurisdiction>?

    /// A scope for the body of a for-each, at one item.
    func child(item: JSONValue, index: Int, prefix: String, parentBox: ParentScope) -> Scope {
        Scope(
            input: input, outputs: [:], parent: parentBox, item: item, index: index, keyPrefix: prefix,
            jurisdictions: jurisdictions)
    }

    func output(of stepID: String) -> JSONValue? {
        if let value = outputs[stepID] { return value }
        return parent?.scope.output(of: stepID)
    }

    func key(_ id: String) -> String { keyPrefix.isEmpty ? id : keyPrefix + id }
}

/// Boxes a scope so nested scopes can share their parent without copying its outputs.
final class ParentScope: Sendable {
    let scope: Scope
    init(_ scope: Scope) { self.scope = scope }
}

extension Scope {
    /// The value a reference points at; throws a clear error when it is missing.
    func resolve(_ reference: Reference, stepKey: String) throws(PurserError) -> JSONValue {
        let base: JSONValue
        switch reference.root {
        case .input:
            base = input
        case .item:
            guard let item else {
                throw PurserError(.internal, "'{{\(reference)}}' used outside a for-each", stepKey: stepKey)
            }
            base = item
        case .index:
            guard let index else {
                throw PurserError(.internal, "'{{index}}' used outside a for-each", stepKey: stepKey)
            }
            return .number(Double(index))
        case .step(let id):
            guard let output = output(of: id) else {
                throw PurserError(.internal, "step '\(id)' has no output here", stepKey: stepKey)
            }
            base = output
        }
        if reference.path.isEmpty { return base }
        guard let value = base.value(at: reference.path) else {
            let code: PurserError.Code
            switch reference.root {
            case .input, .item, .index: code = .invalidInput
            case .step: code = .invalidModelOutput
            }
            throw PurserError(code, "'{{\(reference)}}' does not exist in the \(reference.root.noun)", stepKey: stepKey)
        }
        return value
    }

    func render(_ template: Template, stepKey: String) throws(PurserError) -> String {
        if template.segments.count == 1, case .text(let text) = template.segments[0] { return text }
        var out = ""
        for segment in template.segments {
            switch segment {
            case .text(let text): out += text
            case .reference(let reference): out += try resolve(reference, stepKey: stepKey).templateText
            }
        }
        return out
    }

    func render(_ value: ValueTemplate, stepKey: String) throws(PurserError) -> JSONValue {
        switch value {
        case .literal(let literal):
            return literal
        case .template(let template):
            if let reference = template.soleReference { return try resolve(reference, stepKey: stepKey) }
            return .string(try render(template, stepKey: stepKey))
        case .array(let items):
            var rendered: [JSONValue] = []
            rendered.reserveCapacity(items.count)
            for item in items { rendered.append(try render(item, stepKey: stepKey)) }
            return .array(rendered)
        case .object(let members):
            var rendered: [String: JSONValue] = [:]
            for (name, member) in members { rendered[name] = try render(member, stepKey: stepKey) }
            return .object(rendered)
        }
    }

    /// Evaluates a branch condition. A path that does not resolve counts as `null`.
    func evaluate(_ condition: Condition, stepKey: String) throws(PurserError) -> Bool {
        func lookup(_ path: String) throws(PurserError) -> JSONValue {
            let reference: Reference
            do { reference = try Reference(parsing: path) } catch {
                throw PurserError(.internal, error.reason, stepKey: stepKey)
            }
            return (try? resolve(reference, stepKey: stepKey)) ?? .null
        }
        switch condition {
        case .equals(let path, let value): return try lookup(path) == value
        case .notEquals(let path, let value): return try lookup(path) != value
        case .contains(let path, let value):
            switch try lookup(path) {
            case .string(let text): return value.stringValue.map(text.contains) ?? false
            case .array(let items): return items.contains(value)
            default: return false
            }
        case .exists(let path): return try lookup(path) != .null
        case .greaterThan(let path, let bound): return (try lookup(path).numberValue).map { $0 > bound } ?? false
        case .lessThan(let path, let bound): return (try lookup(path).numberValue).map { $0 < bound } ?? false
        case .all(let conditions):
            for condition in conditions where !(try evaluate(condition, stepKey: stepKey)) { return false }
            return true
        case .any(let conditions):
            for condition in conditions where try evaluate(condition, stepKey: stepKey) { return true }
            return false
        case .not(let condition): return !(try evaluate(condition, stepKey: stepKey))
        }
    }
}

extension Reference.Root {
    var noun: String {
        switch self {
        case .input: "run input"
        case .item, .index: "for-each item"
        case .step(let id): "output of step '\(id)'"
        }
    }
}
