import Foundation
import PurserTestKit

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP server on 127.0.0.1, run by Python, so the HTTP tests make real requests without
/// touching the network. Each test starts its own, on its own port.
final class LocalHTTPServer {
    let port: UInt16
    private let process: Process

    var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: UInt16, process: Process) {
        self.port = port
        self.process = process
    }

    /// Python's static file server for `directory`.
    static func start(serving directory: URL) async throws -> LocalHTTPServer {
        try await launch { port in
            ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", directory.path]
        }
    }

    /// A server that answers every GET with a 302 to `location`: http.server cannot send a
    /// visitor to another host, and that is the hop the allow-list has to stop.
    static func start(redirectingTo location: String) async throws -> LocalHTTPServer {
        let script = """
            import http.server, sys
            class Redirect(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    self.send_response(302)
                    self.send_header("Location", sys.argv[2])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                def log_message(self, *args):
                    pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Redirect).serve_forever()
            """
        return try await launch { port in ["-c", script, String(port), location] }
    }

    /// Picks a free port, starts Python on it and waits (at most 5 s) until it accepts connections.
    /// A port taken between choosing and binding makes Python exit; then another port is tried.
    private static func launch(_ arguments: (UInt16) -> [String]) async throws -> LocalHTTPServer {
        var lastProblem = "no attempt made"
        for _ in 0..<3 {
            let port = try LoopbackSocket.freePort()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3"] + arguments(port)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let server = LocalHTTPServer(port: port, process: process)
            for _ in 0..<100 {
                if LoopbackSocket.accepts(port: port) { return server }
                guard process.isRunning else { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            lastProblem =
                process.isRunning
                ? "python3 did not accept connections on port \(port) within 5 s"
                : "python3 exited with status \(process.terminationStatus) on port \(port)"
            server.stop()
        }
        throw LoopbackSocket.Failure(description: lastProblem)
    }

    /// SIGKILL, not `terminate()`: on Linux the child inherits the signal mask of the
    /// concurrency thread that spawned it, where SIGTERM is blocked, so Python would never exit.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit {
        stop()
    }
}
