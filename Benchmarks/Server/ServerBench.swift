import Foundation
import Logging
import Purser
import PurserClient
import PurserConfig
import PurserServer
import PurserSQLite
import PurserTestKit
import Synchronization
import Workflows

/// A server on a fresh data directory, and the clients that load it.
struct ServerBench {
    struct Result {
        var clients: Int
        var runs: Int
        var failures: Int
        var seconds: Double
        var p50: Duration
        var p99: Duration
        /// The slowest request: a pause of the whole ledger (a log restart) shows here first,
        /// as it holds only the few requests in flight.
        var max: Duration
        /// The ledger's log restarts while the clients ran, and how long each held its writes
        /// on average.
        var logRestarts: Int
        var meanLogRestart: Duration
        /// CPU time the whole process used while the clients ran, and the part the client
        /// threads used themselves: the rest is the server's.
        var processCPU: Duration
        var clientCPU: Duration
        /// Frames SQLite wrote to the ledger's log while the clients ran, and the write calls
        /// they took (see `SQLiteLedger.logWriteCounts`).
        var logFrames: Int
        var logWriteCalls: Int
        /// The whole machine's idle and stolen time while the clients ran, in percent (nil
        /// where `/proc/stat` is not there): a low rate with steal is the host, not the build.
        var machine: (idle: Double, steal: Double)?

        var runsPerSecond: Double { Double(runs) / seconds }
        /// The server's CPU time per run, in microseconds. Throughput moves with the machine's
        /// load (this one's shared cores gave the same build 1,100 and 1,500 runs/s an hour
        /// apart); the work a run costs moves far less, so changes are compared on this.
        var serverMicrosPerRun: Int { Self.microsPerRun(processCPU - clientCPU, runs) }
        var clientMicrosPerRun: Int { Self.microsPerRun(clientCPU, runs) }
        var logFramesPerRun: String { String(format: "%.1f", runs == 0 ? 0 : Double(logFrames) / Double(runs)) }
        var logWritesPerRun: String { String(format: "%.1f", runs == 0 ? 0 : Double(logWriteCalls) / Double(runs)) }

        var line: String {
            let rate = String(format: "%8.0f", runsPerSecond)
            return "\(String(clients).leftPadded(4)) clients: \(rate) runs/s   p50 \(Self.ms(p50)) ms   p99 \(Self.ms(p99)) ms   "
                + "CPU/run: server \(serverMicrosPerRun) µs, client \(clientMicrosPerRun) µs   (\(runs) runs, \(failures) failed)"
                + "   max \(Self.ms(max)) ms, log \(logFramesPerRun) frames in \(logWritesPerRun) writes a run"
                + (logRestarts == 0 ? "" : ", \(logRestarts) log restarts (mean \(Self.ms(meanLogRestart)) ms)")
                + (machine.map { String(format: "; machine idle %.0f%%, steal %.1f%%", $0.idle, $0.steal) } ?? "")
        }

        var json: String {
            #"{"clients":\#(clients),"runs":\#(runs),"failures":\#(failures),"runsPerSecond":\#(Int(runsPerSecond.rounded())),"p50Ms":\#(Self.ms(p50)),"p99Ms":\#(Self.ms(p99)),"serverCPUMicrosPerRun":\#(serverMicrosPerRun),"clientCPUMicrosPerRun":\#(clientMicrosPerRun),"maxMs":\#(Self.ms(max)),"logRestarts":\#(logRestarts),"meanLogRestartMs":\#(Self.ms(meanLogRestart)),"logFramesPerRun":\#(logFramesPerRun),"logWritesPerRun":\#(logWritesPerRun),"machineIdlePercent":\#(Self.percent(machine?.idle)),"machineStealPercent":\#(Self.percent(machine?.steal))}"#
        }

        static func percent(_ share: Double?) -> String { share.map { String(format: "%.1f", $0) } ?? "null" }

        static func microsPerRun(_ cpu: Duration, _ runs: Int) -> Int {
            runs == 0 ? 0 : Int((cpu / runs).seconds * 1e6)
        }

        static func ms(_ duration: Duration) -> String {
            String(format: "%.2f", Double(duration.components.attoseconds) / 1e15 + Double(duration.components.seconds) * 1000)
        }
    }

    let directory: URL
    let ledger: SQLiteLedger
    let server: PurserServer
    let serving: Task<Void, any Error>
    let token: String
    let body: JSONValue

    static func start() async throws -> ServerBench {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("purser-server-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ledger = try SQLiteLedger(dataDirectory: directory.path)
        let caps = RunCapLedger(base: ledger)
        let engine = Engine(
            providers: [SimulatedProvider(speed: .instant)], tools: ExampleWorkflows.tools(), ledger: caps, journal: ledger,
            runStore: ledger)
        let token = APITokens.generate()
        let auth = try AuthConfiguration(tokens: [
            APIToken(name: "bench", role: .service, hash: APITokens.hash(token), created: Date())
        ])
        var logger = Logger(label: "purser.bench")
        logger.logLevel = .warning
        let options = ServerOptions(
            socketPath: directory.appendingPathComponent("purser.sock").path,
            limits: .init(maxActive: 1024, maxQueued: 65_536))
        let server = try PurserServer(
            options: options, engine: engine, ledger: ledger, caps: caps, workflows: ExampleWorkflows.all, auth: auth,
            logger: logger)
        let ready = AsyncStream.makeStream(of: Void.self)
        let serving = Task { try await server.run(handleSignals: false) { ready.continuation.yield() } }
        for await _ in ready.stream { break }
        let workflow = ExampleWorkflows.executiveBrief
        return ServerBench(
            directory: directory, ledger: ledger, server: server, serving: serving, token: token,
            body: ["workflow": .string(workflow.name), "input": workflow.exampleInput])
    }

    /// What each client sends.
    enum Load {
        /// Trigger-and-wait runs: what the target is about.
        case runs
        /// `GET /healthz`: the HTTP layer's own cost, under the same clients.
        case health
    }

    /// `clients` loops of trigger-and-wait (or health checks) for `seconds`, each on a thread
    /// of its own with one kept-alive connection (a raw HTTP/1.1 client, so the client
    /// library's cost is not what is measured); every answer must be a succeeded run (or 200).
    func measure(clients: Int, seconds: Double, load: Load = .runs) async throws -> Result {
        let request: [UInt8]
        switch load {
        case .runs:
            request = RawHTTPConnection.request(
                "POST", "/v1/runs?wait=true",
                headers: [("Authorization", "Bearer \(token)"), ("Content-Type", "application/json")],
                body: Array(body.compactJSON.utf8))
        case .health:
            request = RawHTTPConnection.request("GET", "/healthz")
        }
        let socketPath = server.options.socketPath
        if load == .runs {
            try await offThePool { try Self.check(try RawHTTPConnection(socketPath: socketPath).roundTrip(request)) }
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        let started = ContinuousClock.now
        let cpuBefore = CPUTime.process()
        let machineBefore = MachineTime.now()
        let restartsBefore = ledger.logRestarts
        let logBefore = SQLiteLedger.logWriteCounts
        let outcomes = try await withThrowingTaskGroup(of: ([Duration], Int, Duration).self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await offThePool {
                        let cpuStart = CPUTime.thread()
                        let connection = try RawHTTPConnection(socketPath: socketPath)
                        var latencies: [Duration] = []
                        var failures = 0
                        while ContinuousClock.now < deadline {
                            let start = ContinuousClock.now
                            let response = try connection.roundTrip(request)
                            latencies.append(.now - start)
                            if response.status != 200 || (load == .runs && !response.body.reportsSuccess) {
                                failures += 1
                            }
                        }
                        return (latencies, failures, CPUTime.thread() - cpuStart)
                    }
                }
            }
            var all: [Duration] = []
            var failures = 0
            var clientCPU = Duration.zero
            for try await (mine, failed, cpu) in group {
                all.append(contentsOf: mine)
                failures += failed
                clientCPU += cpu
            }
            return (all, failures, clientCPU)
        }
        let elapsed = ContinuousClock.now - started
        let processCPU = CPUTime.process() - cpuBefore
        let machine = MachineTime.shares(from: machineBefore, to: .now())
        let restarts = ledger.logRestarts
        let logAfter = SQLiteLedger.logWriteCounts
        let sorted = outcomes.0.sorted()
        func quantile(_ q: Double) -> Duration {
            sorted.isEmpty ? .zero : sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.up)) - 1)]
        }
        return Result(
            clients: clients, runs: sorted.count, failures: outcomes.1,
            seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            p50: quantile(0.5), p99: quantile(0.99), max: sorted.last ?? .zero,
            logRestarts: restarts.count - restartsBefore.count,
            meanLogRestart: restarts.count > restartsBefore.count
                ? (restarts.total - restartsBefore.total) / (restarts.count - restartsBefore.count) : .zero,
            processCPU: processCPU, clientCPU: outcomes.2, logFrames: logAfter.frames - logBefore.frames,
            logWriteCalls: logAfter.systemCalls - logBefore.systemCalls, machine: machine)
    }

    /// Confirms on one whole answer that the quick success check reads it as a parser does.
    struct CheckFailed: Error, CustomStringConvertible {
        var description: String
    }

    static func check(_ response: RawHTTPConnection.Response) throws {
        guard response.status == 200, response.body.parsedStatus == "succeeded", response.body.reportsSuccess else {
            throw CheckFailed(
                description: "the first run did not succeed, or the quick check misread it: HTTP \(response.status), "
                    + String(decoding: response.body.prefix(300), as: UTF8.self))
        }
    }

    func stop() async throws {
        await server.shutdown()
        try await serving.value
        try? FileManager.default.removeItem(at: directory)
    }
}

extension [UInt8] {
    /// Whether the answer is a run that succeeded, read without parsing the whole document:
    /// the run view writes `id`, `workflow` and then `status` first (step statuses come later,
    /// inside `steps`, and a quote inside a string value is escaped), so the first `"status":`
    /// is the run's. The load generator shares the server's two cores, and parsing every 3.5 KB
    /// answer took 6% of them; `ServerBench.check` parses one answer whole to confirm the order.
    var reportsSuccess: Bool {
        let key = Array(#""status":""#.utf8)
        guard let start = firstRange(of: key)?.upperBound else { return false }
        return self[start...].starts(with: Array(#"succeeded""#.utf8))
    }

    /// The top-level status, parsed.
    var parsedStatus: String? {
        (try? JSONValue(parsing: String(decoding: self, as: UTF8.self)))?.objectValue?["status"]?.stringValue
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
