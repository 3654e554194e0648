import Purser

/// The time to estimate a run at admission: a 50-step graph of sequences, a parallel block,
/// a for-each over a known list, an agent loop and a branch, with learned history.
struct EstimatorBenchmark {
    static func workflow() -> Workflow {
        Workflow("bench-estimate") {
            ModelStep("classify", prompt: "Classify {{input.text}}").needs(latency: .interactive)
                .output(.object(["label": .string(oneOf: ["a", "b"])]))
            for index in 0..<20 {
                ModelStep("s\(index)", prompt: "Step \(index) on {{input.text}} after {{steps.classify.label}}").maxOutputTokens(400)
            }
            Parallel {
                for index in 0..<10 { ModelStep("p\(index)", prompt: "Branch \(index): {{steps.s19}}").maxOutputTokens(200) }
            }
            ForEach("items", over: "input.items", maxCount: 50, maxConcurrency: 8) {
                ModelStep("item", prompt: "Handle {{item}}").needs(latency: .batch, reasoning: .low).maxOutputTokens(300)
            }
            AgentLoop("agent", prompt: "Research {{input.text}}", tools: ["echo"], maxIterations: 6)
                .needs(reasoning: .medium).maxOutputTokens(800)
            Branch("route", if: .equals("steps.classify.label", "a")) {
                for index in 0..<8 { ModelStep("a\(index)", prompt: "A \(index) {{steps.agent}}") }
            } otherwise: {
                for index in 0..<8 { ModelStep("b\(index)", prompt: "B \(index) {{steps.agent}}") }
            }
        }
    }

    struct EchoTool: Tool {
        let name = "echo"
        let description = "Echoes its arguments."
        let argumentsSchema = JSONSchema.object(["text": .string(examples: ["hello"])])
        func invoke(_ arguments: JSONValue) async throws -> JSONValue { arguments }
    }

    /// A one-step workflow, the commonest kind a server runs: the estimator takes its one-call
    /// shortcut, and the estimate is most of what admitting such a run costs.
    static func oneStepWorkflow() -> Workflow {
        Workflow("bench-estimate-one") {
            ModelStep("brief", prompt: "Brief {{input.text}}").needs(latency: .interactive).maxOutputTokens(300)
        }
    }

    /// Median microseconds per estimate (500 samples) of ``oneStepWorkflow()``: the median of 200.
    func runOneStep() async throws -> Double {
        let input: JSONValue = ["text": "Quarterly budget review for the support team"]
        let (seconds, _) = try await Self.medianEstimate(of: Self.oneStepWorkflow(), input: input, repeats: 200)
        return seconds * 1_000_000
    }

    /// Median milliseconds per estimate (500 samples) of ``workflow()``: the median of 30.
    func run() async throws -> (milliseconds: Double, steps: Int) {
        let input: JSONValue = [
            "text": "Quarterly budget review for the support team",
            "items": .array((0..<20).map { .string("item \($0)") }),
        ]
        let (seconds, steps) = try await Self.medianEstimate(of: Self.workflow(), input: input, repeats: 30)
        return (seconds * 1000, steps)
    }

    /// The median seconds per estimate of `workflow` over `repeats`, after teaching the engine
    /// 20 runs of it (learned history, as a server has), and the graph's step count.
    static func medianEstimate(of workflow: Workflow, input: JSONValue, repeats: Int) async throws
        -> (seconds: Double, steps: Int)
    {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: [EchoTool()])
        let graph = try engine.compile(workflow)
        for _ in 0..<20 { _ = try await engine.run(graph, input: input, options: RunOptions(estimate: false)) }
        var samples: [Double] = []
        for _ in 0..<repeats {
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await engine.estimate(graph, input: input, samples: 500)
            samples.append((clock.now - start).seconds)
        }
        return (samples.sorted()[samples.count / 2], graph.steps.count)
    }
}
