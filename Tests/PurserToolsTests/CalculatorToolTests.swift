import Foundation
import Purser
import Testing

@testable import PurserTools

@Suite("calculator")
struct CalculatorToolTests {
    let tool = CalculatorTool()

    func evaluate(_ expression: String) async throws -> Double {
        let result = try await tool.validatedInvoke(["expression": .string(expression)])
        #expect(result["expression"] == .string(expression))
        return try #require(result["result"]?.numberValue)
    }

    func failure(_ expression: String) async throws -> ToolError {
        try await #require(throws: ToolError.self) {
            try await tool.invoke(["expression": .string(expression)])
        }
    }

    @Test(
        "precedence and associativity",
        arguments: [
            ("1 + 2 * 3", 7.0),
            ("(1 + 2) * 3", 9),
            ("10 - 4 - 3", 3),
            ("100 / 10 / 5", 2),
            ("2 ^ 3 ^ 2", 512),
            ("(2 ^ 3) ^ 2", 64),
            ("-2 ^ 2", -4),
            ("(-2) ^ 2", 4),
            ("2 ^ -1", 0.5),
            ("2 * 3 ^ 2", 18),
            ("7 % 3", 1),
            ("-7 % 3", -1),
            ("10 - 2 * 3 % 4", 8),
            ("--3", 3),
            ("-+-3", 3),
            ("3 - -3", 6),
            ("(1200 - 150) * 0.2", 210),
        ])
    func precedence(expression: String, expected: Double) async throws {
        let value = try await evaluate(expression)
        #expect(abs(value - expected) < 1e-9, "\(expression) = \(value), expected \(expected)")
    }

    @Test(
        "numbers",
        arguments: [
            ("42", 42.0), ("3.25", 3.25), (".5", 0.5), ("1.", 1), ("1.5e3", 1500), ("2E-2", 0.02),
            ("1e+2", 100), ("  7  ", 7),
        ])
    func numbers(expression: String, expected: Double) async throws {
        #expect(try await evaluate(expression) == expected)
    }

    @Test(
        "functions and constants",
        arguments: [
            ("sqrt(16)", 4.0),
            ("abs(-3.5)", 3.5),
            ("round(2.5)", 3),
            ("round(-2.5)", -3),
            ("round(1234.5678, 2)", 1234.57),
            ("min(3, 1, 2)", 1),
            ("max(3, 1, 2)", 3),
            ("max(-1)", -1),
            ("ln(e)", 1),
            ("log10(1000)", 3),
            ("2 * pi", 2 * Double.pi),
            ("PI", Double.pi),
            ("Sqrt(max(9, 4)) + min(1, 2) ^ 2", 4),
        ])
    func functions(expression: String, expected: Double) async throws {
        let value = try await evaluate(expression)
        #expect(abs(value - expected) < 1e-9, "\(expression) = \(value), expected \(expected)")
    }

    @Test("a zero result is never negative zero")
    func negativeZero() async throws {
        let result = try await tool.invoke(["expression": "-0 * 5"])
        #expect(result["result"]?.numberValue?.sign == .plus)
    }

    @Test(
        "errors name the problem and where it is",
        arguments: [
            ("1 / 0", "division by zero at position 3"),
            ("1 / (2 - 2)", "division by zero at position 3"),
            ("5 % 0", "modulo by zero at position 3"),
            ("2 + * 3", "unexpected '*', expected a number at position 5"),
            ("1 +", "unexpected end of expression, expected a number at position 4"),
            ("(1 + 2", "unclosed '(' at position 1"),
            ("max(1, 2", "unclosed '(' of the call to 'max' at position 4"),
            ("(1 + 2))", "unexpected ')', expected an operator at position 8"),
            ("2 3", "unexpected '3', expected an operator at position 3"),
            ("2e", "unexpected 'e', expected an operator at position 2"),
            ("1 × 2", "unexpected '×', expected an operator at position 3"),
            ("foo + 1", "unknown identifier 'foo'"),
            ("2 * bar", "at position 5"),
            ("sqrt 4", "expected '(' after the function 'sqrt' at position 6"),
            ("pi(2)", "'pi' is a constant, not a function at position 1"),
            ("sqrt(-1)", "sqrt of a negative number (-1) at position 1"),
            ("ln(0)", "ln of a number that is not positive (0)"),
            ("log10(-5)", "log10 of a number that is not positive (-5)"),
            ("max()", "'max' takes at least 1 argument, got 0"),
            ("sqrt(1, 2)", "'sqrt' takes 1 argument, got 2"),
            ("round(1.5, 0.5)", "decimal places"),
            ("", "the expression is empty"),
            ("   ", "the expression is empty"),
            ("10 ^ 400", "not a finite number"),
        ])
    func errors(expression: String, expected: String) async throws {
        let error = try await failure(expression)
        #expect(error.tool == "calculator")
        #expect(error.message.contains(expected), "got: \(error.message)")
        #expect(!error.isRetryable)
    }

    @Test("deep nesting is refused instead of exhausting the stack")
    func deepNesting() async throws {
        let depth = ExpressionParser.maximumNesting + 10
        let nested = String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth)
        #expect(try await failure(nested).message.contains("nests more than"))

        let shallow = String(repeating: "(", count: 20) + "1" + String(repeating: ")", count: 20)
        #expect(try await evaluate(shallow) == 1)

        let tower = Array(repeating: "1", count: 200).joined(separator: "^")
        #expect(try await failure(tower).message.contains("nests more than"))

        #expect(try await evaluate(String(repeating: "-", count: 500) + "2") == 2)
    }

    @Test("expressions longer than the limit are refused")
    func tooLong() async throws {
        let justRight = "1" + String(repeating: "+1", count: (CalculatorTool.maximumExpressionLength - 1) / 2)
        #expect(justRight.count <= CalculatorTool.maximumExpressionLength)
        #expect(try await evaluate(justRight) == Double((justRight.count + 1) / 2))

        let tooLong = String(repeating: "1", count: CalculatorTool.maximumExpressionLength + 1)
        let error = try await failure(tooLong)
        #expect(error.message.contains("1001 characters"))
        #expect(error.message.contains("1000"))
    }

    @Test("missing or mistyped arguments are refused, with or without schema validation")
    func badArguments() async throws {
        let missing = try await #require(throws: ToolError.self) { try await tool.invoke([:]) }
        #expect(missing.message.contains("'expression'"))
        let notString = try await #require(throws: ToolError.self) { try await tool.invoke(["expression": 5]) }
        #expect(notString.message.contains("'expression'"))

        let extra = try await #require(throws: ToolError.self) {
            try await tool.validatedInvoke(["expression": "1", "precision": 2])
        }
        #expect(extra.message.contains("unexpected property 'precision'"))
    }
}
