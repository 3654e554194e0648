import Foundation
import Purser

/// `swift run -c release purser-ledger-bench [--pairs N] [--tasks N] [--runs N] [--with-full] [--json]`
///
/// Measures the durable ledger's throughput: reserve+settle pairs per second on a fresh
/// SQLite file in WAL mode with `synchronous = NORMAL` (durable against a process crash),
/// by one writer and by several concurrent tasks. The target is 5,000 pairs a second.
@main
enum LedgerBenchMain {
    static let target = 5_000.0

    static func main() async {
        guard let options = LedgerBenchOptions(arguments: Array(CommandLine.arguments.dropFirst())) else {
            FileHandle.standardError.write(Data((LedgerBenchOptions.usage + "\n").utf8))
            exit(64)
        }
        if let path = options.hammer {
            do {
                print(try await Hammer(path: path, pairs: options.pairs, amount: options.amount).run())
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                exit(1)
            }
            return
        }
        #if DEBUG
            FileHandle.standardError.write(Data("warning: a debug build; run with -c release for real numbers\n".utf8))
        #endif
        var scenarios = [
            LedgerBenchmark(name: "single writer", synchronous: .normal, tasks: 1, pairs: options.pairs),
            LedgerBenchmark(
                name: "\(options.tasks) concurrent tasks", synchronous: .normal, tasks: options.tasks, pairs: options.pairs),
        ]
        if options.withFull {
            scenarios.append(LedgerBenchmark(name: "single writer", synchronous: .full, tasks: 1, pairs: options.pairs))
        }
        var results: [LedgerBenchmark.Result] = []
        do {
            for scenario in scenarios {
                var runs: [LedgerBenchmark.Result] = []
                for _ in 0..<options.runs { runs.append(try await scenario.run()) }
                var median = runs.sorted { $0.pairsPerSecond < $1.pairsPerSecond }[runs.count / 2]
                median.runs = runs.count
                median.slowest = runs.map(\.pairsPerSecond).min() ?? 0
                median.fastest = runs.map(\.pairsPerSecond).max() ?? 0
                results.append(median)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
        print(options.json ? LedgerBenchReport.json(results, target: target) : LedgerBenchReport.table(results, target: target))
    }
}
