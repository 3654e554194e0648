import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reservations left open by processes that died are settled at their reserved amounts and
/// flagged, never released silently; live processes' reservations are left alone.
@Suite("SQLiteLedger: crash reconciliation")
struct ReconcileTests {
    @Test func aDeadProcessesReservationIsSettledAtItsReservedAmountWhenTheFileOpens() async throws {
        let fixture = try LedgerFixture()
        try fixture.ledger.setBudget(try budget(.global, .day, limit: 1_000), actor: "finance")
        let crashed = try fixture.reopen(process: .dead)
        let lost = try await crashed.reserve(request(run: "run_dead", step: "draft", amount: 400, tokens: 120))
        let finished = try await crashed.reserve(request(run: "run_dead", step: "plan", amount: 100))
        try await crashed.settle(finished, usage: TokenUsage(inputTokens: 5), cost: Money(micros: 60))

        let restarted = try fixture.reopen()
        let report = restarted.openingReconciliation
        #expect(report.reconciled.map(\.reservationID) == [lost.id])
        #expect(report.reconciled.first?.amount == Money(micros: 400))
        #expect(report.reconciled.first?.tokens == 120)
        #expect(report.reconciled.first?.stepKey == "draft")
        #expect(report.reconciled.first?.pid == ProcessIdentity.dead.pid)
        #expect(report.stillOpen == 0)

        let status = try restarted.budgetStatuses()[0]
        #expect(status.spent == Money(micros: 460))
        #expect(status.reserved == .zero)
        #expect(try restarted.openReservations().isEmpty)
        #expect(try restarted.checkInvariants() == [])
        // The dead process's reservation can no longer be resolved by anyone.
        await #expect(throws: LedgerError.self) { try await restarted.release(lost) }
        // Reports show the flag.
        let rows = try restarted.spend(
            by: .workflow, from: LedgerFixture.beforeMidnight, to: LedgerFixture.beforeMidnight.addingTimeInterval(60))
        #expect(rows.first?.cost == Money(micros: 460))
        #expect(rows.first?.reconciledCost == Money(micros: 400))
        #expect(rows.first?.reconciledCalls == 1)
        // A second reconciliation finds nothing to do.
        #expect(try restarted.reconcile().reconciled.isEmpty)
    }

    @Test func liveProcessesReservationsAreLeftOpen() async throws {
        let fixture = try LedgerFixture()
        let hold = try await fixture.ledger.reserve(request(amount: 10))
        let report = try fixture.ledger.reconcile()
        #expect(report.reconciled.isEmpty)
        #expect(report.stillOpen == 1)
        try await fixture.ledger.settle(hold, usage: .zero, cost: Money(micros: 10))
    }

    @Test func aReusedPidWithAnotherStartTimeCountsAsDead() async throws {
        let fixture = try LedgerFixture()
        var impostor = ProcessIdentity.current
        impostor.startTicks += 12_345
        let earlier = try fixture.reopen(process: impostor)
        _ = try await earlier.reserve(request(amount: 10))
        #expect(try fixture.ledger.reconcile().reconciled.count == 1)
    }

    @Test func aKilledChildProcessesReservationIsReconciled() async throws {
        let fixture = try LedgerFixture()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["60"]
        try child.run()
        let pid = child.processIdentifier
        let identity = ProcessIdentity(
            pid: pid, startTicks: ProcessIdentity.startTicks(of: pid) ?? 0, bootID: ProcessIdentity.current.bootID)
        #expect(identity.isAlive)
        let childLedger = try fixture.reopen(process: identity)
        _ = try await childLedger.reserve(request(amount: 70))
        #expect(try fixture.ledger.reconcile().stillOpen == 1)

        kill(pid, SIGKILL)
        // Dead from the moment it is killed, zombie or reaped.
        let deadline = Date().addingTimeInterval(10)
        while identity.isAlive, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        // Failed once in a local full run (never in CI): the kernel's view says why, if again.
        #expect(
            !identity.isAlive,
            "pid \(pid) after SIGKILL: \((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? "no /proc entry")")
        let report = try fixture.ledger.reconcile()
        #expect(report.reconciled.map(\.amount) == [Money(micros: 70)])
        child.waitUntilExit()
        #expect(try fixture.ledger.checkInvariants() == [])
    }
}
