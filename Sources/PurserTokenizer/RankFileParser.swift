import Foundation

/// Reads a tiktoken rank file: one `base64-token rank` pair per line.
///
/// Parsing works on the raw bytes (no `String` per line, base64 decoded by hand)
/// because it runs on first use of a tokenizer and the o200k file has 200,000
/// lines. Every malformed line becomes a `TokenizerError` naming it; nothing in
/// the input can crash the parser.
enum RankFileParser {
    /// Loads and parses the rank file at `url`.
    static func load(contentsOf url: URL) throws -> RankTable {
        let name = url.lastPathComponent
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw TokenizerError(file: name, line: nil, problem: .unreadable(error.localizedDescription))
        }
        return try parse(data, fileName: name)
    }

    /// Parses rank-file contents; `fileName` only labels errors.
    static func parse(_ data: Data, fileName: String) throws -> RankTable {
        let result: Result<RankTable, TokenizerError> = data.withUnsafeBytes { buffer in
            Result { () throws(TokenizerError) in try parse(buffer, fileName: fileName) }
        }
        return try result.get()
    }

    private static let newline = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    /// Token offsets are stored in 32 bits; real rank files are a few MB.
    static let maximumFileSize = 1 << 31

    private static func parse(_ buffer: UnsafeRawBufferPointer, fileName: String) throws(TokenizerError) -> RankTable {
        guard buffer.count <= maximumFileSize else {
            throw TokenizerError(file: fileName, line: nil, problem: .unreadable("larger than 2 GiB"))
        }
        var lineCount = 1
        for byte in buffer where byte == newline { lineCount += 1 }
        var builder = RankTableBuilder(maximumTokens: lineCount, expectedBytes: buffer.count * 3 / 4)
        var lineStart = 0
        var lineNumber = 0
        while lineStart < buffer.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < buffer.count && buffer[lineEnd] != newline { lineEnd += 1 }
            let next = lineEnd + 1
            do {
                try parseLine(UnsafeRawBufferPointer(rebasing: buffer[lineStart..<lineEnd]), lineNumber, &builder)
            } catch {
                throw TokenizerError(file: fileName, line: lineNumber, problem: error)
            }
            lineStart = next
        }
        do {
            return try builder.build()
        } catch {
            throw TokenizerError(file: fileName, line: error.line, problem: error.problem)
        }
    }

    /// Parses one line (without its `\n`); blank lines are skipped, as tiktoken does.
    private static func parseLine(
        _ line: UnsafeRawBufferPointer, _ number: Int, _ builder: inout RankTableBuilder
    ) throws(RankFileProblem) {
        var end = line.count
        while end > 0 && isBlank(line[end - 1]) { end -= 1 }
        guard end > 0 else { return }
        var tokenEnd = 0
        while tokenEnd < end && !isBlank(line[tokenEnd]) { tokenEnd += 1 }
        var rankStart = tokenEnd
        while rankStart < end && isBlank(line[rankStart]) { rankStart += 1 }
        guard rankStart < end else { throw .missingRank }
        var rankEnd = rankStart
        while rankEnd < end && !isBlank(line[rankEnd]) { rankEnd += 1 }
        guard rankEnd == end else { throw .extraField }

        let tokenField = UnsafeRawBufferPointer(rebasing: line[0..<tokenEnd])
        let rankField = UnsafeRawBufferPointer(rebasing: line[rankStart..<rankEnd])
        let rank = try parseRank(rankField)
        let start = builder.bytes.count
        guard Base64Decoder.decode(tokenField, appendingTo: &builder.bytes), builder.bytes.count > start else {
            builder.bytes.removeSubrange(start...)
            throw .invalidBase64(text(tokenField))
        }
        try builder.addToken(startingAt: start, rank: rank, line: number)
    }

    private static func parseRank(_ field: UnsafeRawBufferPointer) throws(RankFileProblem) -> Int {
        var value = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidRank(text(field)) }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            if value > RankTable.maximumRank { throw .rankTooLarge(text(field)) }
        }
        return value
    }

    @inline(__always)
    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == carriageReturn
    }

    /// The field as text for an error message, shortened so a garbage line stays readable.
    private static func text(_ field: UnsafeRawBufferPointer) -> String {
        let shown = String(decoding: field.prefix(40), as: UTF8.self)
        return field.count > 40 ? shown + "…" : shown
    }
}
