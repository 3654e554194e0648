import Foundation
import Logging
import Purser
import PurserClient
import PurserConfig
import PurserServer
import PurserSQLite
import Workflows

/// `swift run -c release purser-server-bench [--seconds S] [--clients 1,16,256] [--repeat N] [--json]`
/// (`--breakdown`: one request's time, layer by layer; `--layer engine|engine-sqlite`: one layer
/// alone at each client count, to profile it; `--healthz`: the same clients sending
/// `GET /healthz`, what the HTTP layer alone costs a request; `--repeat N`: the client counts N
/// times over on one server, then each count's spread and how many runs met the target)
///
/// Trigger-and-wait runs over the Unix socket: each client sends `POST /v1/runs?wait=true` for
/// the one-step `executive-brief` workflow, on the simulator at full speed, one request after
/// another, through the real server (Hummingbird, the run manager, the engine, the SQLite
/// ledger with its journal) in this process. Reports runs a second and latency p50/p99 per
/// client count. The target: at least 3,000 runs/s with p99 at most 10 ms at 16 clients.
@main
enum ServerBenchMain {
    static func main() async {
        var seconds = 5.0
        var clientCounts = [1, 16, 256]
        var repeats = 1
        var json = false
        var breakdown = false
        var load = ServerBench.Load.runs
        var layer: Breakdown.Layer?
        var arguments = Array(CommandLine.arguments.dropFirst())
        while !arguments.isEmpty {
            let argument = arguments.removeFirst()
            switch argument {
            case "--seconds":
                guard let value = arguments.first.flatMap(Double.init), value > 0 else { usage() }
                seconds = value
                arguments.removeFirst()
            case "--clients":
                guard let value = arguments.first?.split(separator: ",").compactMap({ Int($0) }), !value.isEmpty,
                    value.allSatisfy({ $0 >= 1 && $0 <= 4096 })
                else { usage() }
                clientCounts = value
                arguments.removeFirst()
            case "--repeat":
                guard let value = arguments.first.flatMap(Int.init), (1...1000).contains(value) else { usage() }
                repeats = value
                arguments.removeFirst()
            case "--json": json = true
            case "--breakdown": breakdown = true
            case "--healthz": load = .health
            case "--layer":
                guard let value = arguments.first.flatMap(Breakdown.Layer.init(rawValue:)) else { usage() }
                layer = value
                arguments.removeFirst()
            default: usage()
            }
        }
        #if DEBUG
            FileHandle.standardError.write(Data("warning: a debug build; run with -c release for real numbers\n".utf8))
        #endif
        // `--repeat` runs the whole list again, in order, as many times.
        let rounds = Array(Array(repeating: clientCounts, count: repeats).joined())
        do {
            if let layer {
                // One layer alone, under load, for a profiler to watch; no server is started.
                for clients in rounds {
                    print("\(layer.rawValue), \(clients) at once: \(try await Breakdown.rate(layer, clients, seconds: seconds))")
                }
                return
            }
            let bench = try await ServerBench.start()
            if breakdown {
                try await Breakdown.run(bench)
                try await bench.stop()
                return
            }
            var results: [ServerBench.Result] = []
            if !json { print("machine: \(MachineTime.processor)") }
            for clients in rounds {
                // A short warm-up at this concurrency (connections opened, caches filled) first.
                _ = try await bench.measure(clients: clients, seconds: min(1, seconds / 5), load: load)
                let result = try await bench.measure(clients: clients, seconds: seconds, load: load)
                results.append(result)
                if !json { print(result.line) }
            }
            try await bench.stop()
            if json {
                print("[" + results.map(\.json).joined(separator: ",") + "]")
            } else {
                for summary in RepeatSummary.summaries(of: results) { print(summary.line) }
            }
            if let failed = results.first(where: { $0.failures > 0 }) {
                FileHandle.standardError.write(Data("error: \(failed.failures) requests failed at \(failed.clients) clients\n".utf8))
                exit(1)
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(1)
        }
    }

    static func usage() -> Never {
        FileHandle.standardError.write(
            Data("usage: purser-server-bench [--seconds S] [--clients 1,16,256] [--repeat N] [--json] [--breakdown] [--layer engine|engine-sqlite] [--healthz]\n".utf8))
        exit(64)
    }
}
