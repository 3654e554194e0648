/// What repeated measurements at one client count add up to: the spread, and how many met the
/// target. On these shared machines one run says little (the same build's p99 at 16 clients
/// ranged from 8.3 to 14.6 ms within two hours), so a claim about the target rests on many
/// runs and says how many of them met it.
struct RepeatSummary {
    /// The target the socket API is held to, at 16 clients.
    static let targetClients = 16
    static let targetRunsPerSecond = 3_000.0
    static let targetP99: Duration = .milliseconds(10)

    let clients: Int
    let results: [ServerBench.Result]

    /// One summary per client count measured more than once, in the order first measured.
    static func summaries(of results: [ServerBench.Result]) -> [RepeatSummary] {
        var order: [Int] = []
        var byClients: [Int: [ServerBench.Result]] = [:]
        for result in results {
            if byClients[result.clients] == nil { order.append(result.clients) }
            byClients[result.clients, default: []].append(result)
        }
        return order.compactMap { clients in
            let all = byClients[clients] ?? []
            return all.count > 1 ? RepeatSummary(clients: clients, results: all) : nil
        }
    }

    /// How many runs met the target (both halves); nil away from the target's client count.
    var metTarget: Int? {
        guard clients == Self.targetClients else { return nil }
        return results.filter { $0.runsPerSecond >= Self.targetRunsPerSecond && $0.p99 <= Self.targetP99 }.count
    }

    var line: String {
        let rates = results.map(\.runsPerSecond).sorted()
        let p99s = results.map(\.p99).sorted()
        let cpu = results.map(\.serverMicrosPerRun).sorted()
        var text = "\(String(clients).leftPadded(4)) clients, \(results.count) runs (lowest / median / highest): "
            + "runs/s \(Self.spread(rates.map { String(format: "%.0f", $0) })), "
            + "p99 \(Self.spread(p99s.map { ServerBench.Result.ms($0) })) ms, "
            + "server CPU/run \(Self.spread(cpu.map(String.init))) µs"
        if let met = metTarget {
            text += "; \(met) of \(results.count) met the target (≥ \(Int(Self.targetRunsPerSecond)) runs/s and "
                + "p99 ≤ \(ServerBench.Result.ms(Self.targetP99)) ms)"
        }
        return text
    }

    /// Lowest, median (the upper one of an even count) and highest of sorted values.
    private static func spread(_ sorted: [String]) -> String {
        guard let first = sorted.first, let last = sorted.last else { return "-" }
        return "\(first) / \(sorted[sorted.count / 2]) / \(last)"
    }
}
