/// Command-line options of `purser-tokenizer-bench`.
struct BenchmarkOptions {
    /// Print one JSON object instead of the Markdown table.
    var json = false
    /// Size of each generated text, in MB (10^6 bytes).
    var megabytes = 4.0
    /// Timed runs per measurement (after one warm-up); the median is reported.
    var runs = 5
    /// Skip the Python tiktoken comparison.
    var skipReference = false

    static let usage = """
        usage: purser-tokenizer-bench [--megabytes N] [--runs N] [--json] [--no-reference]
          --megabytes N   size of each generated text (default 4)
          --runs N        timed runs per measurement, median reported (default 5)
          --json          print JSON instead of a Markdown table
          --no-reference  do not run Python tiktoken for comparison
        """

    /// Parses `arguments` (without the program name); nil means "print usage".
    init?(arguments: [String]) {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--json": json = true
            case "--no-reference": skipReference = true
            case "--megabytes":
                guard let value = remaining.popFirst().flatMap(Double.init), value > 0 else { return nil }
                megabytes = value
            case "--runs":
                guard let value = remaining.popFirst().flatMap(Int.init), value > 0 else { return nil }
                runs = value
            default: return nil
            }
        }
    }
}
