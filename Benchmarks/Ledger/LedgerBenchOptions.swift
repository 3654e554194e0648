/// Command-line options of `purser-ledger-bench`.
struct LedgerBenchOptions {
    /// Timed reserve+settle pairs per scenario.
    var pairs = 20_000
    /// Concurrent tasks in the concurrent scenario.
    var tasks = 4
    /// Timed runs per scenario; the median run is reported (the machine may be shared).
    var runs = 3
    /// Also measure `synchronous = FULL` (an fsync per commit), for comparison.
    var withFull = false
    /// One JSON document on standard output instead of a table.
    var json = false
    /// Instead of benchmarking: make `pairs` reserve+settle pairs of `amount` micro-units on the
    /// ledger file at this path, with whatever budgets it has, and print what happened as JSON.
    /// Tests run several at once to race processes on one cap.
    var hammer: String?
    var amount: Int64 = 100

    static let usage = """
        usage: purser-ledger-bench [--pairs N] [--tasks N] [--runs N] [--with-full] [--json]
               purser-ledger-bench --hammer PATH [--pairs N] [--amount MICROS]
          --pairs N      timed reserve+settle pairs per scenario (default 20000)
          --tasks N      concurrent tasks in the concurrent scenario (default 4)
          --runs N       timed runs per scenario, each on a fresh file; the median is reported (default 3)
          --with-full    also measure synchronous = FULL (an fsync per commit)
          --json         print one JSON document instead of a table
          --hammer PATH  (for tests) make --pairs reserve+settle pairs of --amount micro-units on
                         the ledger at PATH, under its budgets, and print the outcome as JSON
        """

    /// Parses `arguments` (without the program name); `nil` means "print usage".
    init?(arguments: [String]) {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            switch flag {
            case "--json": json = true
            case "--with-full": withFull = true
            case "--hammer":
                guard let value = remaining.popFirst() else { return nil }
                hammer = value
            case "--amount":
                guard let value = remaining.popFirst().flatMap({ Int64($0) }), value > 0 else { return nil }
                amount = value
            case "--pairs":
                guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
                pairs = value
            case "--runs":
                guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
                runs = value
            case "--tasks":
                guard let value = remaining.popFirst().flatMap({ Int($0) }), value > 0 else { return nil }
                tasks = value
            default: return nil
            }
        }
    }
}
