import CoreMetrics
import Metrics
import Prometheus
import Purser
import PurserSQLite
import Synchronization

/// The server's metrics, recorded through swift-metrics into a Prometheus registry of the
/// server's own (not the process-wide `MetricsSystem`, which can be bootstrapped only once:
/// tests start many servers in one process). `GET /metrics` renders the registry.
///
/// Money is counted in integer micro-units (`purser_cost_micros_total`), exact far past any
/// real spend, never as a float of currency.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Metric handles by label and dimensions: looking one up in the registry (a lock and a
    /// hash of its labels) costs more than recording into it, and some are recorded several
    /// times per run.
    private let counters = Mutex<[MetricKey: CoreMetrics.Counter]>([:])
    private let timers = Mutex<[MetricKey: CoreMetrics.Timer]>([:])

    private struct MetricKey: Hashable {
        var label: String
        var dimensions: [String]
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30), .seconds(120),
        ]
        self.factory = factory
    }

    private func count(_ label: String, _ dimensions: [(String, String)] = [], by amount: Int = 1) {
        let key = MetricKey(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        let counter = counters.withLock { cache in
            if let counter = cache[key] { return counter }
            let counter = CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = counter
            return counter
        }
        counter.increment(by: amount)
    }

    private func time(_ label: String, _ dimensions: [(String, String)], _ nanoseconds: Int64) {
        let key = MetricKey(label: label, dimensions: dimensions.flatMap { [$0.0, $0.1] })
        let timer = timers.withLock { cache in
            if let timer = cache[key] { return timer }
            let timer = CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory)
            cache[key] = timer
            return timer
        }
        timer.recordNanoseconds(nanoseconds)
    }

    func accepted(workflow: String) { count("purser_runs_accepted_total", [("workflow", workflow)]) }
    func started(workflow: String) { count("purser_runs_started_total", [("workflow", workflow)]) }
    func refusedFull() { count("purser_runs_refused_total", [("reason", "queue_full")]) }
    func resumed() { count("purser_runs_resumed_total") }

    /// A run's end: the run by status, and each call step by tier with its tokens and cost.
    func finished(_ result: RunResult) {
        let workflow = result.workflow
        count("purser_runs_finished_total", [("workflow", workflow), ("status", result.status.rawValue)])
        time("purser_run_duration_seconds", [("workflow", workflow)], Int64(result.duration * 1e9))
        // The records in place: `callRecords` would copy each one whole.
        for record in result.records where record.isCall {
            let tier = record.tierID ?? (record.tool.map { "tool:\($0)" } ?? "none")
            let step = [("workflow", workflow), ("tier", tier)]
            count("purser_steps_total", step + [("kind", record.kind.rawValue), ("status", record.status.rawValue)])
            guard record.kind != .tool else { continue }
            count("purser_tokens_total", step + [("direction", "input")], by: record.usage.inputTokens)
            count("purser_tokens_total", step + [("direction", "output")], by: record.usage.outputTokens)
            count("purser_cost_micros_total", step, by: Int(record.cost.micros))
        }
    }

    /// How long one ledger operation (reserve, settle, release) took.
    func ledgerOperation(_ operation: String, took duration: Duration) {
        time("purser_ledger_operation_seconds", [("operation", operation)], duration.nanoseconds)
    }

    func request(method: String, route: String, status: Int, took duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        count("purser_http_requests_total", dimensions)
        time("purser_http_request_duration_seconds", [("route", route)], duration.nanoseconds)
    }

    /// Values read at scrape time: runs in flight and queued, each budget's money left, and
    /// the ledger's log restarts (each holds every write while it runs).
    func snapshot(running: Int, queued: Int, budgets: [BudgetStatus], logRestarts: LogRestarts) {
        Gauge(label: "purser_runs_running", factory: factory).record(running)
        Gauge(label: "purser_runs_queued", factory: factory).record(queued)
        Gauge(label: "purser_ledger_log_restarts", factory: factory).record(logRestarts.count)
        Gauge(label: "purser_ledger_log_restart_longest_seconds", factory: factory)
            .record(Double(logRestarts.longest.nanoseconds) / 1e9)
        for status in budgets {
            let budget = [("budget", status.budget.name)]
            if let left = status.left { Gauge(label: "purser_budget_left_micros", dimensions: budget, factory: factory).record(left.micros) }
            if let left = status.tokensLeft {
                Gauge(label: "purser_budget_tokens_left", dimensions: budget, factory: factory).record(left)
            }
            Gauge(label: "purser_budget_spent_micros", dimensions: budget, factory: factory).record(status.spent.micros)
        }
    }

    /// The Prometheus text exposition of everything recorded.
    public func render() -> [UInt8] { registry.emitToBuffer() }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
