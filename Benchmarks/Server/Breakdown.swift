import Foundation
import Purser
import PurserClient
import PurserSQLite
import Workflows

/// `--breakdown`: where one trigger-and-wait's time goes, layer by layer (one client, one at
/// a time): the engine alone in memory, the engine on the SQLite ledger, a bare HTTP round
/// trip over the socket (`GET /healthz`), and the whole request.
enum Breakdown {
    static func run(_ bench: ServerBench, count: Int = 500) async throws {
        let workflow = ExampleWorkflows.executiveBrief
        let memory = Engine(providers: [SimulatedProvider(speed: .instant)])
        let graph = try memory.compile(workflow)
        print("engine, in memory:        \(try await time(count) { _ = try await memory.run(graph, input: workflow.exampleInput) })")
        let noEstimate = RunOptions(estimate: false)
        print("  without the estimate:   \(try await time(count) { _ = try await memory.run(graph, input: workflow.exampleInput, options: noEstimate) })")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("purser-breakdown-\(UUID().uuidString)")
        let ledger = try SQLiteLedger(dataDirectory: directory.path)
        let durable = Engine(providers: [SimulatedProvider(speed: .instant)], ledger: ledger, journal: ledger, runStore: ledger)
        print("engine, SQLite ledger:    \(try await time(count) { _ = try await durable.run(graph, input: workflow.exampleInput) })")
        let client = PurserClient(socketPath: bench.server.options.socketPath, token: bench.token, connections: 1)
        print("GET /healthz:             \(try await time(count) { _ = try await client.send(.GET, "/healthz") })")
        let payload = Array(bench.body.compactJSON.utf8)
        print("POST /v1/runs?wait=true:  \(try await time(count) { _ = try await client.send(.POST, "/v1/runs?wait=true", body: payload) })")
        try await client.shutdown()
        print("16 at once, runs or requests a second:")
        print("  engine, in memory:      \(try await rate(16) { _ = try await memory.run(graph, input: workflow.exampleInput) })")
        print("  engine, SQLite ledger:  \(try await rate(16) { _ = try await durable.run(graph, input: workflow.exampleInput) })")
        let result = try await memory.run(graph, input: workflow.exampleInput)
        let summary = RunSummary(
            id: result.id, workflow: result.workflow, status: result.status, input: workflow.exampleInput, tags: [:],
            startedAt: Date(), endedAt: Date(), totals: result.totals, output: result.output, error: nil)
        let entry = JournalEntry(runID: result.id, record: result.records[0], output: result.output ?? .null)
        print("    run summary saves:    \(try await rate(16) { try await ledger.save(summary) })")
        print("    journal records:      \(try await rate(16) { try await ledger.record(entry) })")
        let document = try JSONEncoder().encode(result)
        // Finished over and over: the same row rewritten, as a run's end rewrites its own.
        let accepted = RunID.random()
        let submission = Submission(
            id: accepted, idempotencyKey: nil, workflow: result.workflow, request: ["input": workflow.exampleInput],
            submittedAt: Date())
        var queued = summary
        queued.id = accepted
        _ = try await ledger.accept(submission, queued: queued)
        print("    finished submissions: \(try await rate(16) { try await ledger.finishSubmission(accepted, document: document) })")
        print("    journal reads:        \(try await rate(16) { _ = try await ledger.entries(for: result.id) })")
        print("    budget reads:         \(try await rate(16) { _ = try await ledger.budgets(forRun: result.id, workflow: "w", tags: [:]) })")
        let ledgerOnly = Engine(providers: [SimulatedProvider(speed: .instant)], ledger: ledger)
        print("    reservations only:    \(try await rate(16) { _ = try await ledgerOnly.run(graph, input: workflow.exampleInput) })")
        let storeOnly = Engine(providers: [SimulatedProvider(speed: .instant)], journal: ledger, runStore: ledger)
        print("    runs and journal only:\(try await rate(16) { _ = try await storeOnly.run(graph, input: workflow.exampleInput) })")
        let wide = PurserClient(socketPath: bench.server.options.socketPath, token: bench.token, connections: 16)
        print("  GET /healthz:           \(try await rate(16) { _ = try await wide.send(.GET, "/healthz") })")
        print("  POST /v1/runs?wait=true:\(try await rate(16) { _ = try await wide.send(.POST, "/v1/runs?wait=true", body: payload) })")
        try await wide.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A layer `--layer` runs alone: the engine in memory, or on the SQLite ledger with its
    /// journal and run store.
    enum Layer: String {
        case engine
        case engineSQLite = "engine-sqlite"
    }

    /// Runs a second of `layer` alone, with `tasks` loops running one-step runs for `seconds`.
    static func rate(_ layer: Layer, _ tasks: Int, seconds: Double) async throws -> String {
        let workflow = ExampleWorkflows.executiveBrief
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("purser-layer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let engine: Engine
        switch layer {
        case .engine: engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        case .engineSQLite:
            let ledger = try SQLiteLedger(dataDirectory: directory.path)
            engine = Engine(providers: [SimulatedProvider(speed: .instant)], ledger: ledger, journal: ledger, runStore: ledger)
        }
        let graph = try engine.compile(workflow)
        return try await rate(tasks, seconds: seconds) { _ = try await engine.run(graph, input: workflow.exampleInput) }
    }

    /// Operations a second with `tasks` loops running `body` for `seconds`.
    static func rate(_ tasks: Int, seconds: Double = 2, _ body: @escaping @Sendable () async throws -> Void) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let start = ContinuousClock.now
        let done = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<tasks {
                group.addTask {
                    var count = 0
                    while ContinuousClock.now < deadline {
                        try await body()
                        count += 1
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        let seconds = (ContinuousClock.now - start).seconds
        return String(format: "%8.0f /s", Double(done) / seconds)
    }

    static func time(_ count: Int, _ body: () async throws -> Void) async throws -> String {
        for _ in 0..<20 { try await body() }
        let start = ContinuousClock.now
        for _ in 0..<count { try await body() }
        let each = (ContinuousClock.now - start) / count
        return String(format: "%7.1f µs", each.seconds * 1e6)
    }
}
