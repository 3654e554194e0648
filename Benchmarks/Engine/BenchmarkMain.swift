import Foundation
import Purser

/// `swift run -c release purser-bench [--iterations N] [--steps N] [--only TEXT] [--json]`
@main
enum BenchmarkMain {
    static func main() async throws {
        let arguments = CommandLine.arguments
        func value(_ flag: String, default fallback: Int) -> Int {
            guard let position = arguments.firstIndex(of: flag), position + 1 < arguments.count,
                let value = Int(arguments[position + 1]), value > 0
            else { return fallback }
            return value
        }
        let iterations = value("--iterations", default: 15)
        let steps = value("--steps", default: 1000)
        #if DEBUG
        FileHandle.standardError.write(Data("warning: a debug build; run with -c release for real numbers\n".utf8))
        #endif
        var benchmark = EngineBenchmark(iterations: iterations, stepCount: steps)
        if let position = arguments.firstIndex(of: "--only"), position + 1 < arguments.count {
            benchmark.only = arguments[position + 1]
        }
        let results = try await benchmark.run()
        let simulatorCall = try await SimulatorBenchmark(calls: steps).run()
        let estimation = try await EstimatorBenchmark().run()
        let oneStepEstimate = try await EstimatorBenchmark().runOneStep()
        if arguments.contains("--json") {
            let rows: [JSONValue] = results.map {
                [
                    "scenario": .string($0.scenario), "provider": .string($0.provider), "steps": .number(Double($0.steps)),
                    "medianSeconds": .number($0.median), "bestSeconds": .number($0.best),
                    "microsecondsPerStep": .number(($0.microsecondsPerStep * 100).rounded() / 100),
                    "stepsPerSecond": .number($0.stepsPerSecond.rounded()),
                ]
            }
            print(JSONValue.object([
                "scenarios": .array(rows),
                "simulatorMicrosecondsPerCall": .number((simulatorCall * 1e8).rounded() / 100),
                "estimateMilliseconds": .number((estimation.milliseconds * 100).rounded() / 100),
                "estimateSteps": .number(Double(estimation.steps)),
                "oneStepEstimateMicroseconds": .number((oneStepEstimate * 10).rounded() / 10),
            ]).prettyJSON)
        } else {
            print("Engine overhead, median of \(iterations) runs after one warm-up (\(ProcessInfo.processInfo.activeProcessorCount) cores)\n")
            print("| scenario | provider | µs per step | steps per second | median run |")
            print("|---|---|---:|---:|---:|")
            for result in results {
                print(
                    "| \(result.scenario) | \(result.provider) | \(format(result.microsecondsPerStep, places: 1)) | "
                        + "\(Int(result.stepsPerSecond.rounded())) | \(format(result.median * 1000, places: 1)) ms |")
            }
            print("\nThe simulator alone, outside the engine: \(format(simulatorCall * 1e6, places: 1)) µs per call.")
            print(
                "Estimating a \(estimation.steps)-step graph (500 Monte Carlo samples, learned history): "
                    + "\(format(estimation.milliseconds, places: 2)) ms; a one-step workflow: "
                    + "\(format(oneStepEstimate, places: 1)) µs.")
        }
    }

    static func format(_ value: Double, places: Int) -> String {
        String(format: "%.\(places)f", value)
    }
}
