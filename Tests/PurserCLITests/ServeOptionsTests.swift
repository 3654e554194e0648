import Foundation
import PurserTestKit
import Testing

/// `purser serve` refuses bad options before it starts: usage error, nothing written.
@Suite("purser serve options")
struct ServeOptionsTests {
    @Test(arguments: [
        (["--history-interval", "0"], "--history-interval"),
        (["--history-interval", "-5"], "--history-interval"),
        (["--history-interval", "100000"], "--history-interval"),
        (["--grace", "0"], "--grace"),
        (["--max-active-runs", "0"], "--max-active-runs"),
        (["--max-queued-runs", "0"], "--max-queued-runs"),
        (["--log-level", "loud"], "--log-level"),
        (["--speed", "warp"], "--speed"),
        (["--listen", "10.1.2.3:8088"], "--listen"),
    ])
    func refusesBeforeStarting(arguments: [String], names option: String) async throws {
        let home = try TemporaryDirectory(prefix: "purser-serve-options")
        let outcome = try await PurserProcess.run(["serve"] + arguments, home: home.path)
        #expect(outcome.status == 64, "\(outcome.stderr)")
        #expect(outcome.stderr.contains(option), "\(outcome.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: home.path).isEmpty)
    }
}
