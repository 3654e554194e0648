import Foundation
import Purser

/// `swift run -c release purser-routing-bench [--steps N] [--seed S] [--iterations N] [--only latency|savings] [--json]`
///
/// Measures the router: how long one decision takes as the catalog grows, and what routing
/// saves on a mixed workload over real LiteLLM prices, against the strongest tier and
/// against a hindsight oracle.
@main
enum RoutingBenchMain {
    static func main() {
        guard let options = RoutingBenchOptions(arguments: Array(CommandLine.arguments.dropFirst())) else {
            FileHandle.standardError.write(Data((RoutingBenchOptions.usage + "\n").utf8))
            exit(64)
        }
        #if DEBUG
        FileHandle.standardError.write(Data("warning: a debug build; run with -c release for real numbers\n".utf8))
        #endif
        var report = RoutingBenchReport(options: options)
        if options.only != .savings {
            report.latency = DecisionLatencyBenchmark(iterations: options.iterations, seed: options.seed).run()
        }
        if options.only != .latency {
            do {
                let catalog = try PriceMapCatalog.load(path: options.prices)
                report.catalog = catalog
                let steps = WorkloadGenerator(seed: options.seed).steps(count: options.steps)
                let clock = ContinuousClock()
                let start = clock.now
                var savings = SavingsBenchmark(tiers: catalog.tiers, steps: steps, seed: options.seed).run()
                savings.seconds = (clock.now - start).seconds
                report.savings = savings
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                exit(1)
            }
        }
        print(options.json ? report.json.prettyJSON : report.markdown)
    }
}
