import Foundation
import Purser

/// Reads `--input`: inline JSON, or `@path` for a file of JSON.
enum InputReader {
    static func read(_ argument: String) throws(CLIFailure) -> JSONValue {
        var text = argument
        var source = "--input"
        if argument.hasPrefix("@") {
            let path = String(argument.dropFirst())
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIFailure(message: "cannot read input file '\(path)'", exitCode: ExitCodes.notFound)
            }
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw CLIFailure(message: "input file '\(path)' is not UTF-8 text", exitCode: ExitCodes.invalidInput)
            }
            text = decoded
            source = path
        }
        do {
            return try JSONValue(parsing: text)
        } catch {
            throw CLIFailure(message: "\(source) is not valid JSON: \(error)", exitCode: ExitCodes.invalidInput)
        }
    }
}
