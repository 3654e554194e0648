import Foundation
import Purser
import PurserSQLite

/// One process's share of a multi-process race on a ledger file: reserve+settle pairs one
/// after the other, each settled at its full amount, counting refusals. Several run at once
/// in tests, to check that a cap holds across processes, not only across tasks.
struct Hammer {
    var path: String
    var pairs: Int
    var amount: Int64

    /// The outcome as one line of JSON: `{"refused":R,"settled":N,"settledMicros":M}`.
    func run() async throws -> String {
        let ledger = try SQLiteLedger(path: path)
        let pid = ProcessInfo.processInfo.processIdentifier
        var settled = 0
        var refused = 0
        for index in 0..<pairs {
            do {
                let hold = try await ledger.reserve(
                    ReservationRequest(
                        runID: RunID("run_hammer_\(pid)"), workflow: "hammer", stepKey: "call\(index)", tierID: "sim-nano",
                        amount: Money(micros: amount), tokens: 10))
                try await ledger.settle(hold, usage: TokenUsage(inputTokens: 10), cost: Money(micros: amount))
                settled += 1
            } catch is BudgetExceededError {
                refused += 1
            }
        }
        return #"{"refused":\#(refused),"settled":\#(settled),"settledMicros":\#(Int64(settled) * amount)}"#
    }
}
