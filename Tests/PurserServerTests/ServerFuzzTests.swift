import Foundation
import Purser
import PurserClient
import PurserSQLite
import PurserTestKit
import Synchronization
import Testing
import Workflows

#if canImport(Glibc)
    import Glibc
#endif

/// Thousands of malformed, random and hostile requests over the socket to one real server:
/// every one is answered (200..<500; broken framing may instead close its connection), the
/// server lives on and still works, and nothing refused changed the ledger.
///
/// The requests come from ``FuzzPlan`` with a fixed seed; set `PURSER_FUZZ_SEED` (hex) to
/// try another, `PURSER_FUZZ_REQUESTS` for more or fewer. Each failure names the seed and the
/// request's number, which alone regenerate it: `FuzzPlan(seed:...).request(number)`.
@Suite("Server: fuzzing the socket API")
struct ServerFuzzTests {
    static let seed: UInt64 =
        ProcessInfo.processInfo.environment["PURSER_FUZZ_SEED"].flatMap { UInt64($0, radix: 16) } ?? 0x5EED_F022_2026
    static let requestCount = ProcessInfo.processInfo.environment["PURSER_FUZZ_REQUESTS"].flatMap { Int($0) } ?? 10_400
    static let workers = 8

    @Test(.timeLimit(.minutes(10)))
    func thousandsOfMalformedRequestsAreAnsweredAndChangeNothing() async throws {
        signal(SIGPIPE, SIG_IGN)  // the server may close a connection this test is still writing to
        let server = try await ServerProcess()
        let service = server.client(server.tokens.service)
        let finance = server.client(server.tokens.finance)
        do {
            try await fuzz(server, service: service, finance: finance)
        } catch {
            try? await service.shutdown()
            try? await finance.shutdown()
            throw error
        }
    }

    /// The fuzz and every check after it; shuts `service` and `finance` down unless it throws.
    private func fuzz(_ server: ServerProcess, service: PurserClient, finance: PurserClient) async throws {
        let seedText = "seed \(String(Self.seed, radix: 16))"

        // The baseline: a budget the fuzz must never change, and a run.
        let baseline = try await finance.send(
            .PUT, "/v1/budgets/global",
            json: ["period": "month", "limit": "1000000.00", "policy": "stop", "reason": "fuzz baseline"])
        try #require(baseline.status == 200, "\(baseline.text)")
        let firstRun = try await service.send(.POST, "/v1/runs?wait=true", json: API.runBody("executive-brief"))
        try #require(firstRun["status"] == "succeeded", "\(firstRun.text)")
        let before = try await LedgerView.read(finance)

        // The fuzz, on threads of its own.
        let plan = FuzzPlan(
            seed: Self.seed,
            tokens: .init(service: server.tokens.service, finance: server.tokens.finance, admin: server.tokens.admin),
            exampleInput: try #require(ExampleWorkflows.named("executive-brief")).exampleInput.compactJSON,
            bodyLimit: 1_048_576)
        let tally = FuzzTally(total: Self.requestCount, seed: Self.seed)
        let socketPath = server.socketPath
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<Self.workers {
                group.addTask {
                    try await offThePool { FuzzWorker(id: worker, plan: plan, tally: tally, socketPath: socketPath).run() }
                }
            }
            try await group.waitForAll()
        }
        let took = clock.now - started
        let result = tally.result
        print(result.report(took: took, seedText: seedText))

        #expect(
            result.failures.isEmpty,
            "\(seedText): \(result.failureCount) failures, the first:\n\(result.failures.prefix(40).joined(separator: "\n"))")
        if result.hung || !server.isRunning {
            // A crashing server answers nothing while it writes its backtrace: let it finish.
            let deadline = ContinuousClock.now + .seconds(60)
            while server.isRunning, ContinuousClock.now < deadline {
                if Self.crashed(server.log), ContinuousClock.now > deadline - .seconds(30) { break }
                try await Task.sleep(for: .milliseconds(200))
            }
            if !server.isRunning || Self.crashed(server.log) {
                Issue.record(
                    """
                    \(seedText): the server died; requests in flight: \(result.inFlightAtStop)
                    log:
                    \(Self.crash(in: server.log))
                    """)
            } else {
                Issue.record(
                    """
                    \(seedText): the server stopped answering (not even GET /healthz on a new connection); \
                    requests in flight: \(result.inFlightAtStop)
                    """)
                try await server.kill9()
            }
            try await service.shutdown()
            try await finance.shutdown()
            return
        }
        #expect(result.sent >= Self.requestCount, "\(seedText): only \(result.sent) of \(Self.requestCount) requests were sent")

        // Still serving, and still working.
        let health = try await waitUntilIdle(service)
        #expect(health.status == 200, "\(health.text)")
        #expect(health["running"] == 0 && health["queued"] == 0, "runs still going a minute after the fuzz: \(health.text)")
        let lastRun = try await service.send(.POST, "/v1/runs?wait=true", json: API.runBody("executive-brief"))
        #expect(lastRun.status == 200, "\(lastRun.text)")
        #expect(lastRun["status"] == "succeeded", "\(lastRun.text)")

        // Exactly the runs and budget changes that were answered as made, and no other.
        let after = try await LedgerView.read(finance)
        let lastRunID = lastRun["id"]?.stringValue ?? ""
        let newRuns = after.runIDs.subtracting(before.runIDs).subtracting([lastRunID])
        #expect(
            newRuns == result.runIDs,
            """
            \(seedText): \(newRuns.count) new runs in the ledger, \(result.runIDs.count) answered as started; \
            unanswered: \(newRuns.subtracting(result.runIDs).sorted().prefix(10)), \
            missing: \(result.runIDs.subtracting(newRuns).sorted().prefix(10))
            """)
        #expect(before.runIDs.isSubset(of: after.runIDs))
        let newChanges = after.history.filter { ($0["id"]?.numberValue ?? 0) > before.lastChangeID }
        #expect(
            newChanges.count == result.budgetChanges,
            "\(seedText): \(newChanges.count) budget changes logged, \(result.budgetChanges) answered 200")
        let scopes = Set(newChanges.compactMap { $0["scope"]?.stringValue })
        #expect(scopes.isSubset(of: Set(FuzzPlan.fuzzScopes)), "\(seedText): budgets changed outside the fuzz's scopes: \(scopes)")
        #expect(before.protectedBudgets.count == 1, "\(before.protectedBudgets)")
        #expect(
            before.protectedBudgets == after.protectedBudgets,
            "\(seedText): a protected budget changed: \(before.protectedBudgets) -> \(after.protectedBudgets)")

        // A clean stop, and books that add up.
        try await service.shutdown()
        try await finance.shutdown()
        let exitStatus = try await server.stop()
        #expect(exitStatus == 0, "the server exited with \(exitStatus): \(String(server.log.suffix(2000)))")
        let ledger = try SQLiteLedger(path: server.ledgerPath)
        #expect(try ledger.checkInvariants() == [])
        #expect(try ledger.openReservations().isEmpty)
        #expect(try ledger.unfinishedSubmissions().isEmpty)
    }

    /// Whether the server's log holds a crash report.
    static func crashed(_ log: String) -> Bool {
        log.contains("Fatal error") || log.contains("runtime failure") || log.contains("Program crashed")
    }

    /// The lines of a crash report that say what failed and where.
    static func crash(in log: String) -> String {
        let lines = log.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: crashed) else { return String(log.suffix(4000)) }
        let thread = lines[start...].firstIndex { $0.contains("crashed:") } ?? start
        return (lines[start..<(start + 1)] + lines[thread..<min(lines.count, thread + 12)]).joined(separator: "\n")
    }

    /// Waits until no run is running or queued, then answers the last health check.
    private func waitUntilIdle(_ client: PurserClient) async throws -> ClientResponse {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let health = try await client.send(.GET, "/healthz")
            let idle = health["running"]?.numberValue == 0 && health["queued"]?.numberValue == 0
            if idle || ContinuousClock.now > deadline { return health }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// What the API says of runs and budgets, to compare before and after the fuzz.
private struct LedgerView {
    var runIDs: Set<String> = []
    var history: [JSONValue] = []
    var lastChangeID: Double = 0
    /// The `budget` members of budgets whose scope the fuzz must never change.
    var protectedBudgets: [JSONValue] = []

    static func read(_ client: PurserClient) async throws -> LedgerView {
        var view = LedgerView()
        var cursor: String?
        repeat {
            let page = try await client.send(.GET, "/v1/runs?limit=1000" + (cursor.map { "&cursor=\($0)" } ?? ""))
            try #require(page.status == 200, "\(page.text)")
            for run in page["runs"]?.arrayValue ?? [] { view.runIDs.insert(run["id"]?.stringValue ?? "?") }
            cursor = page["nextCursor"]?.stringValue
        } while cursor != nil
        let history = try await client.send(.GET, "/v1/budgets/history")
        try #require(history.status == 200, "\(history.text)")
        view.history = history["changes"]?.arrayValue ?? []
        view.lastChangeID = view.history.compactMap { $0["id"]?.numberValue }.max() ?? 0
        let budgets = try await client.send(.GET, "/v1/budgets")
        try #require(budgets.status == 200, "\(budgets.text)")
        view.protectedBudgets = (budgets["budgets"]?.arrayValue ?? []).compactMap { $0["budget"] }
            .filter { FuzzPlan.protectedScopes.contains($0["scope"]?.stringValue ?? "") }
        return view
    }
}

/// Counts and findings, shared by the workers.
final class FuzzTally: Sendable {
    struct Result: Sendable {
        var sent = 0
        var byStatus: [Int: Int] = [:]
        var byCategory: [String: [Int: Int]] = [:]
        var failures: [String] = []
        var failureCount = 0
        var runIDs: Set<String> = []
        /// 4xx answers to run requests that name a run: refused at admission, recorded as failed.
        var refusedButRecorded = 0
        var budgetChanges = 0
        /// Kept-alive connections found closed by the server though its last answer did not say so.
        var staleCloses: [String: Int] = [:]
        var inFlight: [Int: String] = [:]
        var inFlightAtStop: [String] = []
        /// The server stopped answering altogether.
        var hung = false

        func report(took: Duration, seedText: String) -> String {
            let statuses = byStatus.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "closed" : String($0.key)): \($0.value)" }
            var lines = [
                "Fuzz (\(seedText)): \(sent) requests in \(took)",
                "  by status: " + statuses.joined(separator: ", "),
                "  runs started: \(runIDs.count) (of them refused at admission and recorded: \(refusedButRecorded));"
                    + " budget changes: \(budgetChanges); failures: \(failureCount)",
            ]
            if !staleCloses.isEmpty { lines.append("  connections closed without 'Connection: close' after: \(staleCloses)") }
            for (category, counts) in byCategory.sorted(by: { $0.key < $1.key }) {
                let total = counts.values.reduce(0, +)
                let detail = counts.sorted { $0.key < $1.key }.map { "\($0.key == 0 ? "closed" : String($0.key))×\($0.value)" }
                lines.append("  \(category) (\(total)): " + detail.joined(separator: " "))
            }
            return lines.joined(separator: "\n")
        }
    }

    private let state: Mutex<(next: Int, stopped: Bool, result: Result)>
    let total: Int
    let seed: UInt64

    init(total: Int, seed: UInt64) {
        self.total = total
        self.seed = seed
        state = Mutex((0, false, Result()))
    }

    var result: Result { state.withLock { $0.result } }

    /// The next request's number for `worker`, or `nil` when done or stopped.
    func take(worker: Int) -> Int? {
        state.withLock { state in
            guard !state.stopped, state.next < total else { return nil }
            defer { state.next += 1 }
            state.result.sent += 1
            return state.next
        }
    }

    func begin(worker: Int, _ request: FuzzRequest) {
        state.withLock { $0.result.inFlight[worker] = "#\(request.index) \(request.summary)" }
    }

    /// Stops handing out requests (the server is gone, or far too much is failing).
    func stop() {
        state.withLock { state in
            if !state.stopped { state.result.inFlightAtStop = state.result.inFlight.values.sorted() }
            state.stopped = true
        }
    }

    func fail(_ request: FuzzRequest, _ problem: String) {
        let stopNow = state.withLock { state -> Bool in
            state.result.failureCount += 1
            if state.result.failures.count < 200 {
                state.result.failures.append(
                    "seed \(String(seed, radix: 16)) request #\(request.index) (\(request.category)): \(request.summary): \(problem)")
            }
            return state.result.failureCount >= 200
        }
        if stopNow { stop() }
    }

    /// Counts an answer (status 0: the connection closed without one).
    func count(_ request: FuzzRequest, status: Int) {
        state.withLock { state in
            state.result.byStatus[status, default: 0] += 1
            state.result.byCategory[request.category, default: [:]][status, default: 0] += 1
        }
    }

    func started(run id: String, refused: Bool) {
        state.withLock { state in
            state.result.runIDs.insert(id)
            if refused { state.result.refusedButRecorded += 1 }
        }
    }

    func changedBudget() { state.withLock { $0.result.budgetChanges += 1 } }

    func staleClose(after previous: String) { state.withLock { $0.result.staleCloses[previous, default: 0] += 1 } }

    /// Records that the server no longer answers at all, and stops the fuzz.
    func serverHung() {
        state.withLock { $0.result.hung = true }
        stop()
    }
}

/// One thread's share of the fuzz: kept-alive requests on a connection of its own (opened
/// again whenever the server closes it), broken framing each on a fresh connection.
private struct FuzzWorker {
    let id: Int
    let plan: FuzzPlan
    let tally: FuzzTally
    let socketPath: String
    static let timeout = Duration.seconds(10)

    func run() {
        var connection: Connection?
        while let index = tally.take(worker: id) {
            let request = plan.request(index)
            tally.begin(worker: id, request)
            switch request.transport {
            case .keepAlive: keptAlive(request, &connection)
            case .fresh(let rule): fresh(request, rule)
            }
        }
    }

    /// A kept-alive connection and the request its last answer was for.
    struct Connection {
        var raw: RawHTTPConnection
        var last: String?
    }

    func keptAlive(_ request: FuzzRequest, _ connection: inout Connection?) {
        for attempt in 0..<2 {
            if connection == nil {
                do {
                    connection = Connection(raw: try RawHTTPConnection(socketPath: socketPath, timeout: Self.timeout))
                } catch {
                    tally.fail(request, "cannot connect: \(error) (is the server still running?)")
                    tally.stop()
                    return
                }
            }
            let previous = connection?.last
            do {
                guard let raw = connection?.raw else { return }
                try raw.send(request.bytes)
                guard let response = try raw.readResponse() else {
                    throw FreshExchange.Failure(description: "the server closed the connection without an answer")
                }
                connection?.last = request.category
                judge(request, response)
                if request.closes || response.header("Connection")?.lowercased() == "close" { connection = nil }
                return
            } catch {
                connection = nil
                let text = "\(error)"
                let timedOut = text.contains("temporarily unavailable") || text.contains("timed out")
                if attempt == 0, let previous, !timedOut {
                    // Closed after the previous answer (not this request's doing): once more, fresh.
                    tally.staleClose(after: previous)
                    continue
                }
                tally.count(request, status: 0)
                tally.fail(request, timedOut ? "no answer within \(Self.timeout) (hang)" : "no answer: \(text)")
                if timedOut, !FreshExchange.answersHealthCheck(socketPath: socketPath) { tally.serverHung() }
                return
            }
        }
    }

    func fresh(_ request: FuzzRequest, _ rule: FuzzRequest.FramingRule) {
        let outcome: FreshExchange.Outcome
        do {
            outcome = try FreshExchange.run(socketPath: socketPath, bytes: request.bytes, timeout: Self.timeout)
        } catch {
            tally.count(request, status: 0)
            tally.fail(request, "\(error)")
            if "\(error)".hasPrefix("connect") {
                tally.stop()
            } else if "\(error)".contains("(hang)"), !FreshExchange.answersHealthCheck(socketPath: socketPath) {
                tally.serverHung()
            }
            return
        }
        let status = outcome.status ?? 0
        tally.count(request, status: status)
        let shown = FuzzGeneratorPreview.text(outcome.bytes)
        switch (rule, outcome.status) {
        case (.mustAnswer, nil):
            tally.fail(request, "closed without an answer")
        case (.reject, let status?) where ![400, 413, 414, 431].contains(status):
            tally.fail(request, "broken framing was answered \(status), not refused: \(shown)")
        case (_, let status?) where !(200..<500).contains(status):
            tally.fail(request, "answered \(status): \(shown)")
        default:
            break
        }
    }

    /// Checks one answer to a well-framed request, and accounts for what it says it did.
    func judge(_ request: FuzzRequest, _ response: RawHTTPConnection.Response) {
        let status = response.status
        tally.count(request, status: status)
        let text = FuzzGeneratorPreview.text(response.body)
        guard (200..<500).contains(status) else {
            tally.fail(request, "answered \(status): \(text)")
            return
        }
        if let expected = request.expected, !expected.contains(status) {
            tally.fail(request, "expected \(expected.sorted()), got \(status): \(text)")
        }
        let json = try? JSONValue(parsing: String(decoding: response.body, as: UTF8.self))
        if status >= 400 {
            let type = response.header("Content-Type") ?? ""
            if !type.hasPrefix("application/problem+json") || json?["status"]?.numberValue != Double(status)
                || json?["code"]?.stringValue == nil
            {
                tally.fail(request, "a \(status) answer that is not a problem document (Content-Type '\(type)'): \(text)")
            }
        }
        if request.mayStartRun {
            if (200..<300).contains(status) {
                if let id = json?["id"]?.stringValue {
                    tally.started(run: id, refused: false)
                } else {
                    tally.fail(request, "a \(status) answer to a run request names no run: \(text)")
                }
            } else if let id = json?["runID"]?.stringValue {
                tally.started(run: id, refused: true)
            }
        }
        if request.mustSucceed, json?["status"] != "succeeded" {
            tally.fail(request, "the awaited run did not succeed: \(text)")
        }
        if request.mayChangeBudget, status == 200 {
            tally.changedBudget()
        }
    }
}

enum FuzzGeneratorPreview {
    static func text(_ bytes: [UInt8]) -> String {
        let shown = String(decoding: bytes.prefix(300), as: UTF8.self)
        return bytes.count > 300 ? shown + "…(\(bytes.count) bytes)" : shown
    }
}

/// One request alone on a new connection: written, the write side shut, everything the
/// server sends read until it closes.
enum FreshExchange {
    struct Outcome {
        /// The first final (non-1xx) status, `nil` if the server closed without one.
        var status: Int?
        var bytes: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(socketPath: String, bytes: [UInt8], timeout: Duration) throws -> Outcome {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket(): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socketPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect: \(String(cString: strerror(errno)))") }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        // Write it all, unless the server refuses and closes first.
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { break }
                throw Failure(description: "write: \(String(cString: strerror(errno)))")
            }
            offset += written
        }
        shutdown(descriptor, Int32(SHUT_WR))

        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        reading: while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                received += chunk[0..<count]
            } else if count == 0 {
                break
            } else {
                switch errno {
                case EINTR: continue
                case ECONNRESET: break reading
                case EAGAIN, EWOULDBLOCK:
                    throw Failure(description: "no answer and no close within \(timeout) (hang); got \(received.count) bytes")
                default: throw Failure(description: "read: \(String(cString: strerror(errno)))")
                }
            }
        }
        return Outcome(status: firstFinalStatus(received), bytes: received)
    }

    /// Whether `GET /healthz` on a new connection is answered 200 within five seconds.
    static func answersHealthCheck(socketPath: String) -> Bool {
        let request = Array("GET /healthz HTTP/1.1\r\nHost: purser\r\nConnection: close\r\n\r\n".utf8)
        return (try? run(socketPath: socketPath, bytes: request, timeout: .seconds(5)))?.status == 200
    }

    /// The status of the first response that is not `1xx`, from raw bytes.
    static func firstFinalStatus(_ bytes: [UInt8]) -> Int? {
        let text = String(decoding: bytes, as: UTF8.self)
        var statuses: [Int] = []
        for line in text.components(separatedBy: "\r\n") where line.hasPrefix("HTTP/1.") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let status = Int(parts[1]) { statuses.append(status) }
        }
        return statuses.first { $0 >= 200 } ?? statuses.first
    }
}
