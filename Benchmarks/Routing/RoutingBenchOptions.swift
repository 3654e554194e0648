/// Command-line options of `purser-routing-bench`.
struct RoutingBenchOptions {
    enum Part: String { case latency, savings }

    /// Steps in the savings workload.
    var steps = 10_000
    var seed: UInt64 = 42
    /// Timed repetitions per catalog size in the latency benchmark (after one warm-up).
    var iterations = 10
    /// Run only one part; `nil` runs both.
    var only: Part?
    /// One JSON document on standard output instead of tables.
    var json = false
    /// The LiteLLM price map; found beside the repository when not given.
    var prices: String?

    static let usage = """
        usage: purser-routing-bench [--steps N] [--seed S] [--iterations N] [--only latency|savings]
                                    [--prices PATH] [--json]
          --steps N        calls in the savings workload (default 10000)
          --seed S         seed for catalogs, workload and simulated latencies (default 42)
          --iterations N   timed repetitions per catalog size in the latency benchmark (default 10)
          --only PART      run only the decision-latency or the savings benchmark
          --prices PATH    LiteLLM price map (default: ../shared/prices/litellm-model-prices.json)
          --json           print one JSON document instead of tables
        """

    /// Parses `arguments` (without the program name); `nil` means "print usage".
    init?(arguments: [String]) {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--json": json = true
            case "--steps":
                guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
                steps = value
            case "--seed":
                guard let value = remaining.popFirst().flatMap({ UInt64($0) }) else { return nil }
                seed = value
            case "--iterations":
                guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
                iterations = value
            case "--only":
                guard let value = remaining.popFirst().flatMap(Part.init(rawValue:)) else { return nil }
                only = value
            case "--prices":
                guard let value = remaining.popFirst() else { return nil }
                prices = value
            default: return nil
            }
        }
    }
}
