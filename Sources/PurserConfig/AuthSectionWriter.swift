import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rewrites the `auth:` section of `purser.yaml` and nothing else.
///
/// `purser auth token create` and `revoke` edit a file people also edit by hand, so every
/// other line (comments, tiers, server settings, blank lines) is kept byte for byte: the old
/// top-level `auth:` block is cut out and the new one appended at the end. The file holds
/// only hashes, never secrets, but is still written owner-only.
public enum AuthSectionWriter {
    /// `tokens` as an `auth:` block, in the schema the loader reads; `auth:\n  tokens: []\n`
    /// for none.
    public static func section(_ tokens: [APIToken]) -> String {
        guard !tokens.isEmpty else { return "auth:\n  tokens: []\n" }
        var out = "auth:\n  tokens:\n"
        for token in tokens {
            out += "    - name: \(TierCatalogWriter.scalar(token.name))\n"
            out += "      role: \(token.role.rawValue)\n"
            out += "      sha256: \(TierCatalogWriter.scalar(token.hash))\n"
            out += "      created: \(ConfigTimestamp.format(token.created))\n"
        }
        return out
    }

    /// `text` without its top-level `auth:` block, with ``section(_:)`` of `tokens` at the end.
    ///
    /// The block runs from a line starting `auth:` at column 0 to the next line that starts
    /// at column 0 with anything but a space or `#`. Blank lines and column-0 comments just
    /// before that line stay: they most likely introduce what follows.
    public static func replacingAuthSection(in text: String, with tokens: [APIToken]) -> String {
        let lines = linesKeepingTerminators(text)
        var kept = ""
        var index = 0
        while index < lines.count {
            guard isAuthHeader(lines[index]) else {
                kept += lines[index]
                index += 1
                continue
            }
            var end = index + 1
            while end < lines.count, !startsTopLevelContent(lines[end]) { end += 1 }
            var keepFrom = end
            while keepFrom > index + 1, isBlankOrTopLevelComment(lines[keepFrom - 1]) { keepFrom -= 1 }
            for line in lines[keepFrom..<end] { kept += line }
            index = end
        }
        if !kept.isEmpty {
            // Byte-wise: "\r\n" is a single Character, which `hasSuffix("\n")` would not see.
            if kept.utf8.last != UInt8(ascii: "\n") { kept += "\n" }
            // One blank line between what was there and the block.
            if !endsWithBlankLine(kept) { kept += "\n" }
        }
        return kept + section(tokens)
    }

    /// Writes `tokens` into the configuration file at `url` (created if absent), keeping the
    /// rest of it as it is.
    ///
    /// The new text is checked with ``ConfigurationLoader`` first (a file that would not load
    /// is never written; the ``ConfigurationError`` is thrown), then written atomically: a
    /// temporary file, mode 0600, in the same directory, renamed over the old one, so a
    /// reader (a running server) sees the old file or the new one, never half of one. A
    /// symbolic link is followed, and the file it points to is replaced.
    public static func write(tokens: [APIToken], to url: URL) throws {
        let target = url.resolvingSymlinksInPath()
        var existing = ""
        if FileManager.default.fileExists(atPath: target.path) {
            let data: Data
            do {
                data = try Data(contentsOf: target)
            } catch {
                throw WriteError("cannot read \(target.path): \(error.localizedDescription)")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw WriteError("\(target.path) is not UTF-8 text")
            }
            existing = text
        }
        let text = replacingAuthSection(in: existing, with: tokens)
        _ = try ConfigurationLoader.parse(yaml: text, file: target.path)
        try replaceAtomically(target, with: Data(text.utf8))
    }

    /// Why the file could not be written.
    public struct WriteError: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String

        init(_ message: String) {
            self.message = message
        }

        public var description: String { message }
    }

    // MARK: Lines

    private static func linesKeepingTerminators(_ text: String) -> [Substring] {
        var lines: [Substring] = []
        var start = text.startIndex
        while start < text.endIndex {
            // "\r\n" is one Character, so look for the newline scalar instead.
            let end = text.unicodeScalars[start...].firstIndex(of: "\n").map { text.unicodeScalars.index(after: $0) }
                ?? text.endIndex
            lines.append(text[start..<end])
            start = end
        }
        return lines
    }

    /// Whether the last line of `text` (which ends with "\n") has nothing but spaces.
    private static func endsWithBlankLine(_ text: String) -> Bool {
        let lastLine = text.utf8.dropLast().reversed().prefix { $0 != UInt8(ascii: "\n") }
        return lastLine.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
    }

    private static func isAuthHeader(_ line: Substring) -> Bool {
        guard line.hasPrefix("auth:") else { return false }
        let rest = line.unicodeScalars.dropFirst(5)
        return rest.first.map { [" ", "\t", "\r", "\n"].contains($0) } ?? true
    }

    private static func startsTopLevelContent(_ line: Substring) -> Bool {
        guard let first = line.unicodeScalars.first else { return false }
        return ![" ", "\t", "#", "\r", "\n"].contains(first)
    }

    private static func isBlankOrTopLevelComment(_ line: Substring) -> Bool {
        line.hasPrefix("#") || line.unicodeScalars.allSatisfy { [" ", "\t", "\r", "\n"].contains($0) }
    }

    // MARK: Files

    private static func replaceAtomically(_ target: URL, with data: Data) throws(WriteError) {
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(target.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        func failure(_ action: String) -> WriteError {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            return WriteError("cannot \(action) \(target.path): \(reason)")
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError("cannot write \(target.path): \(String(cString: strerror(errno)))") }
        // The mode `open` gives is reduced by the umask; make it exactly owner read-write.
        guard fchmod(descriptor, 0o600) == 0 else {
            close(descriptor)
            throw failure("set the mode of")
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        guard written, fsync(descriptor) == 0 else {
            close(descriptor)
            throw failure("write")
        }
        guard close(descriptor) == 0 else { throw failure("write") }
        guard rename(temporary.path, target.path) == 0 else { throw failure("replace") }
    }
}
