import Foundation
import Purser

/// Exact-enough arithmetic for agents: models are unreliable at sums, and a tool call is
/// cheaper than a wrong total. Evaluation is a parser, never `eval`, so the expression
/// cannot do anything but compute a number.
public struct CalculatorTool: Tool {
    /// Long enough for any real calculation, short enough that a runaway model cannot make us parse megabytes.
    public static let maximumExpressionLength = 1000

    public let name = "calculator"
    /// Pure arithmetic on an expression of bounded length: it cannot hang, so no timer is raced.
    public var finishesPromptly: Bool { true }
    public let description = """
        Evaluates an arithmetic expression and returns the number. Supports + - * / % ^ (power), \
        parentheses, unary minus, decimals and scientific notation (1.5e3), the functions sqrt, abs, \
        round (round(x) or round(x, places)), min, max, ln, log10, and the constants pi and e.
        """

    public init() {}

    public var argumentsSchema: JSONSchema {
        var schema = JSONSchema.object([
            "expression": .string(
                "The arithmetic expression, e.g. (1200 - 150) * 0.2",
                maxLength: Self.maximumExpressionLength,
                examples: ["(1200 - 150) * 0.2", "round(1234.5678, 2)", "sqrt(2) * max(3, 4)"])
        ])
        schema.examples = [["expression": "(1200 - 150) * 0.2"], ["expression": "2^10 / 4"]]
        return schema
    }

    public func invoke(_ arguments: JSONValue) async throws -> JSONValue {
        guard let expression = arguments["expression"]?.stringValue else {
            throw ToolError(tool: name, message: "missing the string argument 'expression'")
        }
        guard expression.count <= Self.maximumExpressionLength else {
            throw ToolError(
                tool: name,
                message:
                    "the expression is \(expression.count) characters long; "
                    + "the limit is \(Self.maximumExpressionLength)")
        }
        let value: Double
        do {
            value = try ExpressionParser.evaluate(expression)
        } catch {
            throw ToolError(tool: name, message: error.description)
        }
        guard value.isFinite else {
            throw ToolError(tool: name, message: "the result is not a finite number (\(value)); check for overflow")
        }
        // Normalise -0 so a model is never shown a confusing "-0".
        return ["result": .number(value == 0 ? 0 : value), "expression": .string(expression)]
    }
}
