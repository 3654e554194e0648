import ArgumentParser
import Foundation
import Purser
import PurserTokenizer

/// `purser tokenize`: token ids of standard input, exactly as tiktoken gives them.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Print the token ids (or count) of the text on standard input.",
        discussion: """
            Without --jsonl the whole of standard input is one text, printed as a JSON array of ids. \
            With --jsonl every line is a JSON string and one JSON array of ids (or a count) is \
            printed per line, in order, so a corpus can be checked against a reference in one process.
            """
    )

    @Option(help: "cl100k_base or o200k_base.")
    var encoding: String = "o200k_base"

    @Flag(help: "Print the number of tokens instead of the ids.")
    var count = false

    @Flag(help: "Read JSON Lines of strings; write one line per input line.")
    var jsonl = false

    func validate() throws {
        guard TokenizerEncoding(rawValue: encoding) != nil else {
            throw ValidationError("--encoding must be cl100k_base or o200k_base; got '\(encoding)'")
        }
    }

    func run() throws {
        let tokenizer: BPETokenizer
        do {
            tokenizer = try BPETokenizer.bundled(TokenizerEncoding(rawValue: encoding) ?? .o200kBase)
        } catch {
            Self.exit(with: CLIFailure(message: "cannot load \(encoding): \(error)", exitCode: ExitCodes.internal))
        }
        let data = FileHandle.standardInput.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            Self.exit(with: CLIFailure(message: "standard input is not UTF-8 text", exitCode: ExitCodes.invalidInput))
        }
        if !jsonl {
            Terminal.standardOutput.write(render(text, tokenizer) + "\n")
            return
        }
        var out = ""
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.isEmpty { continue }
            guard case .string(let item)? = try? JSONValue(parsing: String(line)) else {
                Terminal.standardOutput.write(out)
                Self.exit(
                    with: CLIFailure(
                        message: "line \(lineNumber) of standard input is not a JSON string", exitCode: ExitCodes.invalidInput))
            }
            out += render(item, tokenizer) + "\n"
            if out.utf8.count > 1 << 20 {
                Terminal.standardOutput.write(out)
                out = ""
            }
        }
        Terminal.standardOutput.write(out)
    }

    private func render(_ text: String, _ tokenizer: BPETokenizer) -> String {
        if count { return String(tokenizer.count(text)) }
        return "[" + tokenizer.encode(text).map(String.init).joined(separator: ",") + "]"
    }
}
