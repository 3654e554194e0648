import Foundation

/// A Python environment of the tests' own, with the pinned packages the API tests run
/// (`openapi-spec-validator` and `openapi-schema-validator` to check answers against the
/// OpenAPI document, `schemathesis` to send it generated requests), so that `swift test` works
/// on a machine whose Python has none of them and never changes that Python's packages.
///
/// It lives in the build folder (`.build/test-python`), is made on first use with `python3 -m
/// venv` and `pip install` (a network is needed once), and is made again when the pins change.
public enum TestPython {
    /// The packages, pinned; changing a pin remakes the environment.
    public static let requirements = [
        "openapi-spec-validator==0.9.0",
        "openapi-schema-validator==0.9.0",
        "schemathesis==4.32.5",
    ]

    /// The environment's interpreter, made (once per test process) if it is missing or stale.
    public static func interpreter() async throws -> URL {
        try await shared.value
    }

    /// One task, so that tests asking at the same time wait for one installation.
    private static let shared = Task<URL, any Error> { try await offThePool { try prepare() } }

    private static var folder: URL {
        // Sources/PurserTestKit/TestPython.swift → the package's root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/test-python")
    }

    private static func prepare() throws -> URL {
        let python = folder.appendingPathComponent("bin/python3")
        let marker = folder.appendingPathComponent("requirements.txt")
        let wanted = requirements.joined(separator: "\n") + "\n"
        if FileManager.default.isExecutableFile(atPath: python.path),
            (try? String(contentsOf: marker, encoding: .utf8)) == wanted
        {
            return python
        }
        try? FileManager.default.removeItem(at: folder)
        try run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "venv", folder.path], doing: "make a venv")
        try run(
            python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check"] + requirements,
            doing: "install \(requirements.joined(separator: " "))")
        // Written last: an interrupted installation is started again, not trusted.
        try wanted.write(to: marker, atomically: true, encoding: .utf8)
        return python
    }

    private static func run(_ executable: URL, _ arguments: [String], doing what: String) throws {
        let outcome = try ChildProcess.start(executable, arguments).wait()
        guard outcome.status == 0 else {
            throw TestPythonError(
                "could not \(what) in \(folder.path) (exit \(outcome.status)); the API tests need python3 with venv "
                    + "and, once, a network to PyPI:\n\(outcome.stdout)\(outcome.stderr)")
        }
    }
}

public struct TestPythonError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
