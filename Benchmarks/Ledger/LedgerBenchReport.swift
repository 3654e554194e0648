import Foundation

/// The benchmark's output: a table for people, or one JSON document for tools.
enum LedgerBenchReport {
    static func table(_ results: [LedgerBenchmark.Result], target: Double) -> String {
        let header = ["scenario", "synchronous", "tasks", "pairs", "seconds", "pairs/s", "range", "p50 ms", "p99 ms"]
        let rows = results.map { result in
            [
                result.name, result.synchronous, String(result.tasks), String(result.pairs),
                format(result.seconds, 2), format(result.pairsPerSecond, 0),
                "\(format(result.slowest, 0))–\(format(result.fastest, 0))", format(result.p50, 3),
                format(result.p99, 3),
            ]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 || index == 1 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let runs = results.first?.runs ?? 1
        var lines = [
            "reserve+settle pairs on a fresh SQLite file (WAL), one budget applying; median of \(runs) run"
                + (runs == 1 ? "" : "s") + " per scenario (range: slowest–fastest run)",
            "",
        ]
        lines.append(line(header))
        lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        lines += rows.map(line)
        let normal = results.filter { $0.synchronous == "NORMAL" }.map(\.pairsPerSecond).min() ?? 0
        lines.append("")
        lines.append(
            "target ≥ \(format(target, 0)) pairs/s with synchronous NORMAL: "
                + (normal >= target ? "met" : "NOT met") + " (slowest scenario \(format(normal, 0)))")
        return lines.joined(separator: "\n")
    }

    static func json(_ results: [LedgerBenchmark.Result], target: Double) -> String {
        let scenarios: [[String: Any]] = results.map { result in
            [
                "scenario": result.name, "synchronous": result.synchronous, "tasks": result.tasks, "pairs": result.pairs,
                "seconds": result.seconds, "pairsPerSecond": result.pairsPerSecond.rounded(),
                "p50Milliseconds": result.p50, "p99Milliseconds": result.p99, "runs": result.runs,
                "slowestPairsPerSecond": result.slowest.rounded(), "fastestPairsPerSecond": result.fastest.rounded(),
            ]
        }
        let normal = results.filter { $0.synchronous == "NORMAL" }.map(\.pairsPerSecond).min() ?? 0
        let document: [String: Any] = [
            "benchmark": "ledger", "targetPairsPerSecond": target, "targetMet": normal >= target, "scenarios": scenarios,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func format(_ value: Double, _ decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }
}
