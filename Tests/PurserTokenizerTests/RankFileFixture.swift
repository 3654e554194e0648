import Foundation

/// Writes small rank files into a temporary directory for the loader tests.
struct RankFileFixture {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("purser-tokenizer-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// The 256 single-byte tokens, each ranked by its byte value, as rank-file lines.
    static var byteLines: [String] {
        (0...255).map { "\(Data([UInt8($0)]).base64EncodedString()) \($0)" }
    }

    static func line(_ token: String, _ rank: Int) -> String {
        "\(Data(token.utf8).base64EncodedString()) \(rank)"
    }

    /// Writes `contents` to a new file named `name` and returns its URL.
    func write(_ name: String, _ contents: String) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try Data(contents.utf8).write(to: url)
        return url
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}
