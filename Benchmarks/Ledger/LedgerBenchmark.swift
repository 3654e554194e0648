import Foundation
import Purser
import PurserSQLite

/// One scenario: reserve+settle pairs on a fresh ledger file, as the engine makes them around
/// every model call, with one budget applying (so every reservation reads and moves a balance).
struct LedgerBenchmark {
    struct Result: Sendable {
        var name: String
        var synchronous: String
        var tasks: Int
        var pairs: Int
        var seconds: Double
        /// Per-pair latency percentiles, in milliseconds.
        var p50: Double
        var p99: Double
        /// How many runs of the scenario were made, and their range in pairs per second (this
        /// result is the median run).
        var runs = 1
        var slowest = 0.0
        var fastest = 0.0

        var pairsPerSecond: Double { Double(pairs) / seconds }
    }

    var name: String
    var synchronous: SQLiteLedger.Synchronous
    var tasks: Int
    var pairs: Int

    /// Pairs made before timing, so the file and statement caches are warm.
    static let warmUp = 200

    func run() async throws -> Result {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("purser-ledger-bench-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ledger = try SQLiteLedger(
            path: folder.appendingPathComponent(SQLiteLedger.fileName).path,
            options: .init(synchronous: synchronous))
        try ledger.setBudget(
            try Budget(scope: .global, period: .month, limit: Budget.largestLimit, policy: .stop),
            actor: "purser-ledger-bench", reason: "benchmark")
        _ = try await Self.pairs(Self.warmUp, task: -1, ledger: ledger)

        let clock = ContinuousClock()
        let start = clock.now
        let perTask = pairs / tasks
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for task in 0..<tasks {
                let count = perTask + (task < pairs % tasks ? 1 : 0)
                group.addTask { try await Self.pairs(count, task: task, ledger: ledger) }
            }
            return try await group.reduce(into: [Duration]()) { $0 += $1 }
        }
        let seconds = (clock.now - start).seconds
        let problems = try ledger.checkInvariants()
        guard problems.isEmpty, try ledger.openReservations().isEmpty else {
            throw BenchmarkFailure("the ledger's invariants broke: \(problems.prefix(3))")
        }
        let sorted = latencies.map { $0.seconds * 1000 }.sorted()
        return Result(
            name: name, synchronous: synchronous.rawValue, tasks: tasks, pairs: pairs, seconds: seconds,
            p50: sorted[sorted.count / 2], p99: sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
    }

    /// `count` reserve+settle pairs one after the other; the latency of each.
    private static func pairs(_ count: Int, task: Int, ledger: SQLiteLedger) async throws -> [Duration] {
        let clock = ContinuousClock()
        var latencies: [Duration] = []
        latencies.reserveCapacity(count)
        for index in 0..<count {
            let start = clock.now
            let hold = try await ledger.reserve(
                ReservationRequest(
                    runID: RunID("run_bench_\(task)"), workflow: "bench", stepKey: "call\(index)", tierID: "sim-nano",
                    amount: Money(micros: 120), tokens: 600))
            try await ledger.settle(hold, usage: TokenUsage(inputTokens: 400, outputTokens: 100), cost: Money(micros: 80))
            latencies.append(clock.now - start)
        }
        return latencies
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
