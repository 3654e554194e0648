import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// A ledger in a fresh temporary directory; the directory lives as long as the fixture.
struct LedgerFixture {
    let directory: TemporaryDirectory
    let clock: ManualClock
    let ledger: SQLiteLedger

    var path: String { directory.url.appendingPathComponent("data/purser.db").path }

    /// `wall` defaults to 2026-11-30 23:30 UTC: half an hour before both a day and a month turn.
    init(wall: Date = LedgerFixture.beforeMidnight) throws {
        directory = try TemporaryDirectory(prefix: "purser-sqlite")
        clock = ManualClock(wall: wall)
        ledger = try SQLiteLedger(
            path: directory.url.appendingPathComponent("data/purser.db").path, clock: clock)
    }

    /// The same file opened again (as another process, or after a restart would).
    func reopen(process: ProcessIdentity = .current) throws -> SQLiteLedger {
        try SQLiteLedger(path: path, clock: clock, options: .init(), process: process)
    }

    /// 2026-11-30T23:30:00Z.
    static let beforeMidnight = Date(timeIntervalSince1970: 1_796_081_400)
}

/// A reservation request with defaults that tests override.
func request(
    run: String = "run_a", workflow: String = "triage", step: String = "s", tier: String = "sim-nano",
    tags: [String: String] = [:], amount: Int64, tokens: Int = 0
) -> ReservationRequest {
    ReservationRequest(
        runID: RunID(run), workflow: workflow, stepKey: step, tierID: tier, tags: tags, amount: Money(micros: amount),
        tokens: tokens)
}

func budget(
    _ scope: BudgetScope, _ period: BudgetPeriod, limit: Int64? = nil, tokens: Int? = nil, soft: Int? = nil,
    policy: BudgetPolicy = .stop
) throws -> Budget {
    try Budget(
        scope: scope, period: period, limit: limit.map { Money(micros: $0) }, tokenLimit: tokens,
        softThresholdPercent: soft, policy: policy)
}

extension ProcessIdentity {
    /// A process that cannot exist: its pid is above any kernel's pid limit.
    static let dead = ProcessIdentity(pid: Int32.max - 1, startTicks: 1, bootID: ProcessIdentity.current.bootID)
}

