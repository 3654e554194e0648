import Foundation
import Purser

/// Lets an agent ground its answer in a folder of documents (a knowledge base, a repository)
/// without a vector store: a plain term search is predictable, needs no index to go stale,
/// and its scores can be explained.
///
/// The folder is a sandbox. Files are read only when their real location (symbolic links
/// resolved) is inside the root, so a link cannot smuggle `/etc/passwd` into a model's context.
/// Hidden files and folders (`.git`, `.env`) are skipped for the same reason.
public struct FileSearchTool: Tool {
    public static let defaultMaximumFileBytes = 2 * 1024 * 1024
    public static let maximumSnippetLength = 240

    public let name = "search_files"
    public let description = """
        Searches the text files of a document folder for lines containing the query's words \
        (case-insensitive) and returns the best-matching lines with their file path and line number.
        """

    /// The folder searched, as given; resolved again on every call so a folder created later still works.
    public let root: URL
    public let maximumFileBytes: Int

    public init(root: URL, maximumFileBytes: Int = FileSearchTool.defaultMaximumFileBytes) {
        self.root = root
        self.maximumFileBytes = maximumFileBytes
    }

    public var argumentsSchema: JSONSchema {
        var limit = JSONSchema.integer("How many matches to return (default 5)", minimum: 1, maximum: 50)
        limit.examples = [5, 3, 10]
        var schema = JSONSchema.object(
            [
                "query": .string(
                    "Words to look for, e.g. refund policy", maxLength: 500,
                    examples: ["refund policy", "shipping times", "invoice"]),
                "limit": limit,
            ],
            required: ["query"])
        schema.examples = [["query": "refund policy"], ["query": "refund policy", "limit": 3]]
        return schema
    }

    public func invoke(_ arguments: JSONValue) async throws -> JSONValue {
        guard let rawQuery = arguments["query"]?.stringValue else {
            throw ToolError(tool: name, message: "missing the string argument 'query'")
        }
        let query = rawQuery.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            throw ToolError(tool: name, message: "the query is empty; give at least one word to search for")
        }
        let terms = Self.terms(of: query)
        guard !terms.isEmpty else {
            throw ToolError(tool: name, message: "the query '\(query)' has no letters or digits to search for")
        }
        let limit = try self.limit(from: arguments["limit"])
        let resolvedRoot = try resolveRoot()

        var matches: [Match] = []
        var filesSearched = 0
        for file in candidateFiles(in: resolvedRoot) {
            guard let text = readText(file.url) else { continue }
            filesSearched += 1
            matches += Self.match(text, in: file.relativePath, terms: terms, phrase: terms.joined(separator: " "))
        }
        matches.sort()
        return [
            "matches": .array(matches.prefix(limit).map(\.jsonValue)),
            "filesSearched": .number(Double(filesSearched)),
        ]
    }

    // MARK: - Arguments

    private func limit(from value: JSONValue?) throws -> Int {
        guard let value, !value.isNull else { return 5 }
        guard let number = value.numberValue, number == number.rounded(), (1...50).contains(number) else {
            throw ToolError(
                tool: name, message: "'limit' must be a whole number from 1 to 50, got \(value.compactJSON)")
        }
        return Int(number)
    }

    /// Lower-cased words, deduplicated in order; punctuation separates words so `"refund-policy?"` still works.
    static func terms(of query: String) -> [String] {
        var seen: Set<String> = []
        return words(in: query.lowercased()).filter { seen.insert($0).inserted }
    }

    private static func words(in text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    // MARK: - The sandbox

    private func resolveRoot() throws -> URL {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
            throw ToolError(tool: name, message: "the search folder \(root.path) does not exist")
        }
        guard isDirectory.boolValue else {
            throw ToolError(tool: name, message: "the search folder \(root.path) is not a folder")
        }
        return root.standardizedFileURL.resolvingSymlinksInPath()
    }

    private struct Candidate {
        var url: URL
        var relativePath: String
    }

    /// Regular files under the root, by relative path so results do not depend on directory order.
    private func candidateFiles(in resolvedRoot: URL) -> [Candidate] {
        let keys: [URLResourceKey] = [.isRegularFileKey, .isSymbolicLinkKey, .fileSizeKey]
        guard
            let enumerator = FileManager.default.enumerator(
                at: resolvedRoot, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles])
        else { return [] }
        let rootPath = resolvedRoot.path
        let prefix = rootPath.hasSuffix("/") ? rootPath : rootPath + "/"
        var candidates: [Candidate] = []
        for case let url as URL in enumerator {
            guard let relativePath = Self.relativePath(of: url.path, under: prefix) else { continue }
            // The real file behind any link must still be inside the root, not hidden, and a regular
            // file (not a device or a pipe that would block the read).
            let real = url.resolvingSymlinksInPath()
            guard let realRelativePath = Self.relativePath(of: real.path, under: prefix),
                !realRelativePath.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                let values = try? real.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
                values.isRegularFile == true,
                (values.fileSize ?? 0) <= maximumFileBytes
            else { continue }
            candidates.append(Candidate(url: real, relativePath: relativePath))
        }
        return candidates.sorted { $0.relativePath < $1.relativePath }
    }

    private static func relativePath(of path: String, under prefix: String) -> String? {
        guard path.hasPrefix(prefix) else { return nil }
        let relative = String(path.dropFirst(prefix.count))
        return relative.isEmpty ? nil : relative
    }

    /// The file's text, or `nil` for anything that is not UTF-8 text: a NUL byte marks a binary
    /// format even when the bytes happen to decode.
    private func readText(_ url: URL) -> String? {
        guard let data = try? Data(contentsOf: url), data.count <= maximumFileBytes,
            !data.contains(0)
        else { return nil }
        return String(validating: data, as: UTF8.self)
    }

    // MARK: - Scoring

    struct Match: Comparable {
        var path: String
        var line: Int
        var snippet: String
        var score: Double

        static func < (lhs: Match, rhs: Match) -> Bool {
            if lhs.score != rhs.score { return lhs.score > rhs.score }
            if lhs.path != rhs.path { return lhs.path < rhs.path }
            return lhs.line < rhs.line
        }

        var jsonValue: JSONValue {
            ["path": .string(path), "line": .number(Double(line)), "snippet": .string(snippet), "score": .number(score)]
        }
    }

    /// One point per distinct query word the line contains (a word matches a line word it starts,
    /// so "refund" finds "refunds"), a fraction for repeats so the denser line wins a tie, and a
    /// bonus when the words appear together as typed.
    static func match(_ text: String, in path: String, terms: [String], phrase: String) -> [Match] {
        var matches: [Match] = []
        var lineNumber = 0
        text.enumerateLines { line, _ in
            lineNumber += 1
            let lowered = line.lowercased()
            let words = Self.words(in: lowered)
            guard !words.isEmpty else { return }
            var distinct = 0
            var occurrences = 0
            for term in terms {
                let count = words.reduce(0) { $0 + ($1.hasPrefix(term) ? 1 : 0) }
                if count > 0 {
                    distinct += 1
                    occurrences += count
                }
            }
            guard distinct > 0 else { return }
            var score = Double(distinct) + min(Double(occurrences - distinct) * 0.1, 0.5)
            if terms.count > 1, words.joined(separator: " ").contains(phrase) { score += 1 }
            matches.append(
                Match(
                    path: path, line: lineNumber, snippet: snippet(of: line, around: terms),
                    score: (score * 100).rounded() / 100))
        }
        return matches
    }

    /// The line trimmed to at most ``maximumSnippetLength`` characters, centred on the first match
    /// so the reason the line was chosen is always visible.
    static func snippet(of line: String, around terms: [String]) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        let limit = maximumSnippetLength
        guard trimmed.count > limit else { return trimmed }
        let lowered = trimmed.lowercased()
        let firstHit = terms.compactMap { lowered.range(of: $0)?.lowerBound }.min()
        let offset = firstHit.map { lowered.distance(from: lowered.startIndex, to: $0) } ?? 0
        let available = limit - 2  // room for an ellipsis at each end
        let start = max(0, min(offset - available / 3, trimmed.count - available))
        let startIndex = trimmed.index(trimmed.startIndex, offsetBy: start)
        let endIndex = trimmed.index(startIndex, offsetBy: available)
        return (start > 0 ? "…" : "") + trimmed[startIndex..<endIndex] + (endIndex < trimmed.endIndex ? "…" : "")
    }
}
