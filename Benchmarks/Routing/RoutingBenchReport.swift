import Foundation
import Purser

/// Renders the results as Markdown tables (for people and the README) or one JSON document
/// (for CI and comparisons). Money stays exact: amounts are decimal strings.
struct RoutingBenchReport {
    let options: RoutingBenchOptions
    var latency: [DecisionLatencyBenchmark.Result] = []
    var catalog: PriceMapCatalog.Loaded?
    var savings: SavingsResult?

    static let latencyTarget = 5_000.0
    static let oracleTarget = 1.05
    static let missTarget = 0.01

    var markdown: String {
        var lines: [String] = []
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if !latency.isEmpty {
            lines.append(
                "Decision latency, median and min of \(options.iterations) repetitions after a warm-up (\(cores) cores)\n")
            lines.append(
                "| tiers | ns per decision (median) | min | with explanation rendered | decisions per repetition | no tier | conditions snapshot |")
            lines.append("|---:|---:|---:|---:|---:|---:|---:|")
            for result in latency {
                lines.append(
                    "| \(result.tiers) | \(Int(result.median.rounded())) | \(Int(result.best.rounded())) | "
                        + "\(Int(result.renderedMedian.rounded())) | "
                        + "\(result.decisionsPerRepetition) | \(result.noTier) (\(percent(result.noTier, result.decisionsPerRepetition))) | "
                        + "\(format(result.conditionsNanoseconds / 1000, 2)) µs |")
            }
            let learned = latency.map { "\($0.tiers): \($0.learnedTiers)/\($0.unhealthyTiers)/\($0.saturatedTiers)" }
            lines.append(
                "\nConditions: tiers with learned latency / unhealthy / saturated, per catalog — "
                    + learned.joined(separator: ", ") + ". Checksum \(latency.reduce(0) { $0 &+ $1.checksum }).")
            if let hundred = latency.first(where: { $0.tiers == 100 }) {
                let verdict = hundred.median <= Self.latencyTarget ? "met" : "missed"
                lines.append("Target ≤ \(Int(Self.latencyTarget)) ns per decision at 100 tiers: \(verdict).")
            }
        }
        if let savings, let catalog {
            if !lines.isEmpty { lines.append("") }
            lines += savingsMarkdown(savings, catalog)
        }
        return lines.joined(separator: "\n")
    }

    func format(_ value: Double, _ places: Int) -> String {
        String(format: "%.\(places)f", value)
    }

    func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "0%" : format(Double(part) / Double(whole) * 100, 2) + "%"
    }

    func rounded(_ value: Double, _ places: Int) -> Double {
        let scale = pow(10, Double(places))
        return (value * scale).rounded() / scale
    }
}
