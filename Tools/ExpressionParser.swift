import Foundation

/// Evaluates arithmetic the way a person writes it, so an agent never has to trust a
/// model's mental arithmetic.
///
/// Grammar, lowest precedence first (`^` binds tighter than unary minus, as in
/// mathematics, so `-2^2` is `-4`, and is right-associative, so `2^3^2` is `2^9`):
///
/// ```
/// expression := term (("+" | "-") term)*
/// term       := unary (("*" | "/" | "%") unary)*
/// unary      := ("-" | "+") unary | power
/// power      := primary ("^" unary)?
/// primary    := number | constant | function "(" expression ("," expression)* ")" | "(" expression ")"
/// ```
///
/// Positions in errors are 1-based character columns, because that is what a person
/// (or a model) counts when looking at the expression.
struct ExpressionParser {
    /// Why an expression has no value, and where in the text that was found.
    struct Failure: Error, Equatable {
        var message: String
        /// 1-based column, or `nil` when the problem is the expression as a whole.
        var position: Int?

        var description: String {
            guard let position else { return message }
            return "\(message) at position \(position)"
        }
    }

    /// Guards the call stack: each level of parentheses costs several stack frames, and
    /// tool calls run on threads with small stacks.
    static let maximumNesting = 64

    static let constants: [String: Double] = ["pi": Double.pi, "e": M_E]

    static let functionNames: Set<String> = ["sqrt", "abs", "round", "min", "max", "ln", "log10"]

    private let characters: [Character]
    private var index = 0
    private var depth = 0

    init(_ text: String) {
        characters = Array(text)
    }

    /// Parses and evaluates the whole text; trailing input is an error, not ignored.
    static func evaluate(_ text: String) throws(Failure) -> Double {
        var parser = ExpressionParser(text)
        return try parser.parseDocument()
    }

    mutating func parseDocument() throws(Failure) -> Double {
        skipWhitespace()
        guard index < characters.count else { throw Failure(message: "the expression is empty") }
        let value = try parseExpression()
        skipWhitespace()
        if index < characters.count {
            throw unexpected(expecting: "an operator")
        }
        return value
    }

    // MARK: - Grammar

    private mutating func parseExpression() throws(Failure) -> Double {
        try descend()
        defer { depth -= 1 }
        var value = try parseTerm()
        while true {
            skipWhitespace()
            if consume("+") {
                value += try parseTerm()
            } else if consume("-") {
                value -= try parseTerm()
            } else {
                return value
            }
        }
    }

    private mutating func parseTerm() throws(Failure) -> Double {
        var value = try parseUnary()
        while true {
            skipWhitespace()
            let operatorColumn = column
            if consume("*") {
                value *= try parseUnary()
            } else if consume("/") {
                let divisor = try parseUnary()
                guard divisor != 0 else { throw Failure(message: "division by zero", position: operatorColumn) }
                value /= divisor
            } else if consume("%") {
                let divisor = try parseUnary()
                guard divisor != 0 else { throw Failure(message: "modulo by zero", position: operatorColumn) }
                value = value.truncatingRemainder(dividingBy: divisor)
            } else {
                return value
            }
        }
    }

    /// A loop rather than recursion, so a long run of signs cannot exhaust the stack.
    private mutating func parseUnary() throws(Failure) -> Double {
        var negate = false
        while true {
            skipWhitespace()
            if consume("-") {
                negate.toggle()
            } else if !consume("+") {
                break
            }
        }
        let value = try parsePower()
        return negate ? -value : value
    }

    private mutating func parsePower() throws(Failure) -> Double {
        let base = try parsePrimary()
        skipWhitespace()
        guard consume("^") else { return base }
        // The exponent is parsed as a unary so that `2^-1` works and `2^3^2` nests to the right.
        try descend()
        defer { depth -= 1 }
        let exponent = try parseUnary()
        return Foundation.pow(base, exponent)
    }

    private mutating func parsePrimary() throws(Failure) -> Double {
        skipWhitespace()
        guard let character = current else {
            throw Failure(message: "unexpected end of expression, expected a number", position: column)
        }
        if character == "(" {
            let open = column
            index += 1
            let value = try parseExpression()
            skipWhitespace()
            guard consume(")") else {
                if current == nil { throw Failure(message: "unclosed '('", position: open) }
                throw unexpected(expecting: "')'")
            }
            return value
        }
        if (character.isASCII && character.isNumber) || character == "." {
            return try parseNumber()
        }
        if character.isLetter {
            return try parseIdentifier()
        }
        throw unexpected(expecting: "a number")
    }

    private mutating func parseNumber() throws(Failure) -> Double {
        let start = index
        let startColumn = column
        var digits = 0
        while let character = current, character.isASCII, character.isNumber {
            index += 1
            digits += 1
        }
        if current == "." {
            index += 1
            while let character = current, character.isASCII, character.isNumber {
                index += 1
                digits += 1
            }
        }
        guard digits > 0 else {
            throw Failure(message: "malformed number", position: startColumn)
        }
        // An exponent only when digits follow, so `2e` stays "2 then the constant e" (and is then rejected
        // as a missing operator) instead of a half-written number.
        if current == "e" || current == "E" {
            var lookahead = index + 1
            if lookahead < characters.count, characters[lookahead] == "+" || characters[lookahead] == "-" {
                lookahead += 1
            }
            if lookahead < characters.count, characters[lookahead].isASCII, characters[lookahead].isNumber {
                index = lookahead
                while let character = current, character.isASCII, character.isNumber {
                    index += 1
                }
            }
        }
        let text = String(characters[start..<index])
        guard let value = Double(text) else {
            throw Failure(message: "malformed number '\(text)'", position: startColumn)
        }
        return value
    }

    private mutating func parseIdentifier() throws(Failure) -> Double {
        let start = index
        let startColumn = column
        while let character = current, character.isLetter || character.isNumber || character == "_" {
            index += 1
        }
        let name = String(characters[start..<index])
        let key = name.lowercased()
        skipWhitespace()
        if let constant = Self.constants[key] {
            if current == "(" {
                throw Failure(message: "'\(name)' is a constant, not a function", position: startColumn)
            }
            return constant
        }
        guard Self.functionNames.contains(key) else {
            let known = (Self.constants.keys.sorted() + Self.functionNames.sorted()).joined(separator: ", ")
            throw Failure(message: "unknown identifier '\(name)' (known: \(known))", position: startColumn)
        }
        let open = column
        guard consume("(") else {
            throw Failure(message: "expected '(' after the function '\(name)'", position: column)
        }
        var arguments: [Double] = []
        skipWhitespace()
        if !consume(")") {
            repeat {
                arguments.append(try parseExpression())
                skipWhitespace()
            } while consume(",")
            guard consume(")") else {
                if current == nil { throw Failure(message: "unclosed '(' of the call to '\(name)'", position: open) }
                throw unexpected(expecting: "',' or ')'")
            }
        }
        return try Self.apply(key, to: arguments, named: name, at: startColumn)
    }

    private static func apply(
        _ function: String, to arguments: [Double], named name: String, at position: Int
    ) throws(Failure) -> Double {
        func arity(_ allowed: ClosedRange<Int>) throws(Failure) {
            guard allowed.contains(arguments.count) else {
                let expected =
                    if allowed.upperBound == Int.max {
                        "at least \(allowed.lowerBound) argument\(allowed.lowerBound == 1 ? "" : "s")"
                    } else if allowed.lowerBound == allowed.upperBound {
                        "\(allowed.lowerBound) argument\(allowed.lowerBound == 1 ? "" : "s")"
                    } else {
                        "\(allowed.lowerBound) or \(allowed.upperBound) arguments"
                    }
                throw Failure(message: "'\(name)' takes \(expected), got \(arguments.count)", position: position)
            }
        }
        switch function {
        case "sqrt":
            try arity(1...1)
            guard arguments[0] >= 0 else {
                throw Failure(message: "sqrt of a negative number (\(format(arguments[0])))", position: position)
            }
            return arguments[0].squareRoot()
        case "abs":
            try arity(1...1)
            return Swift.abs(arguments[0])
        case "round":
            // An optional second argument, the number of decimal places, because agents mostly round money.
            try arity(1...2)
            guard arguments.count == 2 else { return arguments[0].rounded(.toNearestOrAwayFromZero) }
            let places = arguments[1]
            guard places == places.rounded(), (0...15).contains(places) else {
                throw Failure(
                    message: "'\(name)' takes a whole number of decimal places from 0 to 15, got \(format(places))",
                    position: position)
            }
            let scale = Foundation.pow(10, places)
            return (arguments[0] * scale).rounded(.toNearestOrAwayFromZero) / scale
        case "min":
            try arity(1...Int.max)
            return arguments.min()!
        case "max":
            try arity(1...Int.max)
            return arguments.max()!
        case "ln":
            try arity(1...1)
            guard arguments[0] > 0 else {
                throw Failure(
                    message: "ln of a number that is not positive (\(format(arguments[0])))", position: position)
            }
            return Foundation.log(arguments[0])
        case "log10":
            try arity(1...1)
            guard arguments[0] > 0 else {
                throw Failure(
                    message: "log10 of a number that is not positive (\(format(arguments[0])))", position: position)
            }
            return Foundation.log10(arguments[0])
        default:
            throw Failure(message: "unknown function '\(name)'", position: position)
        }
    }

    // MARK: - Scanning

    private var current: Character? {
        index < characters.count ? characters[index] : nil
    }

    private var column: Int { index + 1 }

    private mutating func descend() throws(Failure) {
        depth += 1
        guard depth <= Self.maximumNesting else {
            throw Failure(
                message: "the expression nests more than \(Self.maximumNesting) levels deep", position: column)
        }
    }

    private mutating func skipWhitespace() {
        while let character = current, character.isWhitespace {
            index += 1
        }
    }

    private mutating func consume(_ character: Character) -> Bool {
        guard current == character else { return false }
        index += 1
        return true
    }

    private func unexpected(expecting expected: String? = nil) -> Failure {
        let suffix = expected.map { ", expected \($0)" } ?? ""
        guard let character = current else {
            return Failure(message: "unexpected end of expression\(suffix)", position: column)
        }
        return Failure(message: "unexpected '\(character)'\(suffix)", position: column)
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), Swift.abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
