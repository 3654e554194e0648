import Foundation
import Purser
import PurserSQLite
import PurserTestKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Kills a real `purser run` with SIGKILL at random moments, over and over, against one cap,
/// and checks the durable ledger after each: nothing settled is lost, no reservation of the
/// dead process stays open, and spend never passes the cap.
@Suite("Crash recovery")
struct CrashRecoveryTests {
    @Test func sigkillAtRandomMomentsLosesNothingAndNeverPassesTheCap() async throws {
        let home = try TemporaryDirectory(prefix: "purser-crash-home")
        // About fifteen whole runs' worth: the cap binds in the later rounds.
        let cap = Money(micros: 20_000)
        let ledgerPath = home.url.appendingPathComponent(SQLiteLedger.fileName).path
        do {
            let setup = try SQLiteLedger(path: ledgerPath)
            _ = try setup.setBudget(
                try Budget(scope: .global, period: .month, limit: cap, policy: .stop), actor: "test", reason: "crash test")
        }
        var random = SplitMix64(seed: 20_261_129)
        var settledBefore = Money.zero
        var callsBefore = 0
        var killed = 0
        var reconciled = 0
        for round in 0..<50 {
            let delay = 200 + Int(random.next() % 1_600)
            let home = home.path
            if try await offThePool({ try Self.runAndKill(after: delay, home: home) }) { killed += 1 }

            // Opening the ledger reconciles what the dead process left open.
            let ledger = try SQLiteLedger(path: ledgerPath)
            reconciled += ledger.openingReconciliation.reconciled.count
            #expect(try ledger.checkInvariants() == [], "round \(round)")
            #expect(try ledger.openReservations().isEmpty, "round \(round): a dead process's reservation is still open")
            let settled = try ledger.totalSettled()
            #expect(settled <= cap, "round \(round): spent \(settled) of a \(cap) cap")
            #expect(settled >= settledBefore, "round \(round): settled spend went down: an entry was lost")
            let calls = try ledger.spend(by: .day, from: .distantPast, to: .distantFuture).reduce(0) { $0 + $1.calls }
            #expect(calls >= callsBefore, "round \(round): settled calls went down: an entry was lost")
            settledBefore = settled
            callsBefore = calls
        }
        // The rounds must really have killed runs part-way, and spent money doing it.
        #expect(killed >= 25)
        #expect(settledBefore > .zero)
        #expect(reconciled > 0, "no kill ever left a reservation open: the test did not test recovery")
    }

    /// Starts `purser run`, sends SIGKILL after `delay` ms unless it finished first, and waits
    /// for it to exit. Returns whether it was killed.
    private static func runAndKill(after delay: Int, home: String) throws -> Bool {
        let process = Process()
        process.executableURL = CLITests.executable
        // Contract review fans out to parallel calls; at 20× the simulator's speed a run
        // takes about 1.5 s, so most kills land mid-run with calls reserved and in flight,
        // and some runs finish first.
        process.arguments = ["run", "contract-review", "--speed", "20", "--json"]
        process.environment = ProcessInfo.processInfo.environment.merging(["PURSER_HOME": home]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: Double(delay) / 1000)
        var killed = false
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            killed = true
        }
        process.waitUntilExit()
        return killed
    }
}
