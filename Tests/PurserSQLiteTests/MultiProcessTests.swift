import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// The cap holds across processes, not only across tasks: several processes (the
/// `purser-ledger-bench --hammer` helper) race reserve+settle pairs on one ledger file.
@Suite("SQLiteLedger: processes racing on one file")
struct MultiProcessTests {
    struct Outcome: Decodable {
        var refused: Int
        var settled: Int
        var settledMicros: Int64
    }

    static var helper: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("purser-ledger-bench")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: helper.path)))
    func threeProcessesNeverPassOneCap() async throws {
        let directory = try TemporaryDirectory(prefix: "purser-processes")
        let path = directory.url.appendingPathComponent(SQLiteLedger.fileName).path
        let ledger = try SQLiteLedger(path: path)
        // Room for 600 calls of 100 µ; the three processes ask for 1,200.
        let cap = Money(micros: 60_000)
        try ledger.setBudget(try Budget(scope: .global, period: .month, limit: cap), actor: "test")

        var children: [(Process, Pipe)] = []
        for _ in 0..<3 {
            let process = Process()
            let output = Pipe()
            process.executableURL = Self.helper
            process.arguments = ["--hammer", path, "--pairs", "400", "--amount", "100"]
            process.standardOutput = output
            try process.run()
            children.append((process, output))
        }
        var outcomes: [Outcome] = []
        for (process, output) in children {
            let (status, data) = await Self.waitForExit(process, output: output)
            #expect(status == 0)
            outcomes.append(try JSONDecoder().decode(Outcome.self, from: data))
        }

        #expect(outcomes.map { $0.settled + $0.refused } == [400, 400, 400])
        #expect(outcomes.reduce(0) { $0 + $1.settled } == 600)
        #expect(outcomes.reduce(Int64(0)) { $0 + $1.settledMicros } == cap.micros)
        #expect(try ledger.totalSettled() == cap)
        #expect(try ledger.budgetStatuses().first?.spent == cap)
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.checkInvariants() == [])
    }

    /// Reads a child's output to its end and waits for it on a thread of its own, so the test
    /// does not hold one of the few cooperative threads while the children work.
    private static func waitForExit(_ process: Process, output: Pipe) async -> (Int32, Data) {
        let child = UncheckedChild(process: process, output: output)
        return await withCheckedContinuation { continuation in
            Thread {
                let data = child.output.fileHandleForReading.readDataToEndOfFile()
                child.process.waitUntilExit()
                continuation.resume(returning: (child.process.terminationStatus, data))
            }.start()
        }
    }
}

/// A running child handed to the one thread that waits for it; nothing else touches it meanwhile.
private struct UncheckedChild: @unchecked Sendable {
    let process: Process
    let output: Pipe
}
