import Foundation
import Purser

/// Measures the engine's own cost per step: a 1,000-step sequential workflow and a 1,000-way
/// fan-out, with the simulator at full speed (no sleeping) and with a provider that does
/// nothing, so the simulator's own work can be told apart from the engine's.
struct EngineBenchmark {
    struct Measurement: Sendable {
        let scenario: String
        let provider: String
        let steps: Int
        let samples: [Double]

        var median: Double { samples.sorted()[samples.count / 2] }
        var best: Double { samples.min() ?? 0 }
        var microsecondsPerStep: Double { median / Double(steps) * 1e6 }
        var stepsPerSecond: Double { Double(steps) / median }
    }

    let iterations: Int
    let stepCount: Int
    /// Runs only the scenarios whose "scenario, provider" label contains this text.
    var only: String?

    static func sequentialWorkflow(steps: Int) -> Workflow {
        Workflow("bench-sequential") {
            ModelStep("s0", prompt: "Start with {{input.topic}}").maxOutputTokens(64)
            for index in 1..<steps {
                ModelStep("s\(index)", prompt: "Continue from: {{steps.s\(index - 1)}}").maxOutputTokens(64)
            }
        }
    }

    static func fanOutWorkflow(maxCount: Int) -> Workflow {
        Workflow("bench-fan-out") {
            ForEach("fan", over: "input.items", maxCount: maxCount, maxConcurrency: maxCount) {
                ModelStep("item", prompt: "Handle item {{index}}: {{item}}").maxOutputTokens(64)
            }
        }
    }

    /// The same shapes with tool steps calling a tool that does nothing: no routing, no
    /// reservation, so what is left is the engine's scheduling and records (what a graph
    /// library's no-op node measures).
    static func sequentialToolWorkflow(steps: Int) -> Workflow {
        Workflow("bench-sequential-tools") {
            for index in 0..<steps {
                ToolStep("s\(index)", tool: NoOpTool.toolName, arguments: ["step": .string("s\(index)")])
            }
        }
    }

    static func fanOutToolWorkflow(maxCount: Int) -> Workflow {
        Workflow("bench-fan-out-tools") {
            ForEach("fan", over: "input.items", maxCount: maxCount, maxConcurrency: maxCount) {
                ToolStep("item", tool: NoOpTool.toolName, arguments: ["step": "{{item}}"])
            }
        }
    }

    func run() async throws -> [Measurement] {
        var results: [Measurement] = []
        let providers: [(String, any ModelProvider)] = [
            ("simulator (instant)", SimulatedProvider(speed: .instant)),
            ("no-op", NoOpProvider()),
        ]
        let items = JSONValue.array((0..<stepCount).map { .string("item-\($0)") })
        for (label, provider) in providers {
            let engine = Engine(providers: [provider])
            let sequential = try engine.compile(Self.sequentialWorkflow(steps: stepCount))
            let fanOut = try engine.compile(Self.fanOutWorkflow(maxCount: stepCount))
            let scenarios: [(String, WorkflowGraph, JSONValue, RunOptions)] = [
                ("sequential \(stepCount) steps", sequential, ["topic": "budgets"], RunOptions(estimate: false)),
                ("fan-out \(stepCount) items (run limit 16)", fanOut, ["items": items], RunOptions(estimate: false)),
                ("fan-out \(stepCount) items (no limit)", fanOut, ["items": items], RunOptions(maxConcurrency: stepCount, estimate: false)),
                ("sequential \(stepCount) steps, estimated at admission", sequential, ["topic": "budgets"], RunOptions()),
            ]
            for (scenario, graph, input, options) in scenarios {
                if let measurement = try await measure(
                    scenario, provider: label, engine: engine, graph: graph, input: input, options: options)
                {
                    results.append(measurement)
                }
            }
        }
        let tools = Engine(providers: [NoOpProvider()], tools: [NoOpTool()])
        let toolScenarios: [(String, WorkflowGraph, JSONValue, RunOptions)] = [
            ("sequential \(stepCount) steps", try tools.compile(Self.sequentialToolWorkflow(steps: stepCount)), [:], RunOptions(estimate: false)),
            ("fan-out \(stepCount) items (no limit)", try tools.compile(Self.fanOutToolWorkflow(maxCount: stepCount)), ["items": items],
             RunOptions(maxConcurrency: stepCount, estimate: false)),
        ]
        for (scenario, graph, input, options) in toolScenarios {
            if let measurement = try await measure(
                scenario, provider: "no-op tool", engine: tools, graph: graph, input: input, options: options)
            {
                results.append(measurement)
            }
        }
        return results
    }

    private func measure(
        _ scenario: String, provider: String, engine: Engine, graph: WorkflowGraph, input: JSONValue,
        options: RunOptions
    ) async throws -> Measurement? {
        if let only, !"\(scenario), \(provider)".contains(only) { return nil }
        var samples: [Double] = []
        for iteration in 0..<(iterations + 1) {
            let clock = ContinuousClock()
            let start = clock.now
            let result = try await engine.run(graph, input: input, options: options)
            let elapsed = (clock.now - start).seconds
            guard result.status == .succeeded, result.callRecords.count == stepCount else {
                throw BenchmarkError("\(scenario) did not run all \(stepCount) steps: \(result.status) \(String(describing: result.error))")
            }
            if iteration > 0 { samples.append(elapsed) }  // the first run warms up
        }
        return Measurement(scenario: scenario, provider: provider, steps: stepCount, samples: samples)
    }
}

/// Answers at once with a fixed text: what is left is the engine.
struct NoOpProvider: ModelProvider {
    let name = SimulatorCatalog.providerName
    /// It never takes any time, so it cannot overrun a timeout.
    var enforcesTimeout: Bool { true }

    func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse {
        ModelResponse(text: "ok", usage: TokenUsage(inputTokens: 10, outputTokens: 1))
    }
}

/// Returns its arguments at once.
struct NoOpTool: Tool {
    static let toolName = "noop"
    let name = NoOpTool.toolName
    let description = "Does nothing."
    let argumentsSchema = JSONSchema.object(["step": .string()])
    /// Like the no-op provider, it never takes any time, so the engine needs no timer for it.
    var finishesPromptly: Bool { true }

    func invoke(_ arguments: JSONValue) async throws -> JSONValue { arguments }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
