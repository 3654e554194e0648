import Foundation
internal import GRDB
import Purser
import PurserTestKit
import Testing

@testable import PurserSQLite

/// Runs and their submissions share one row since schema v4. A file written by v3 (runs and
/// submissions in separate tables) is brought over whole: every run, every submission with its
/// request, key and document, and which runs are unfinished.
@Suite("One row per run")
struct OneRowPerRunTests {
    static func summary(_ id: String, status: RunStatus, at seconds: TimeInterval) -> RunSummary {
        RunSummary(
            id: RunID(id), workflow: "triage", status: status, input: ["ticket": "t"], tags: ["team": "care"],
            startedAt: Date(timeIntervalSince1970: seconds),
            endedAt: status == .running ? nil : Date(timeIntervalSince1970: seconds + 1),
            totals: RunTotals(), output: status == .succeeded ? ["ok": true] : nil, error: nil)
    }

    /// A v3 file with a CLI run, a finished server run (with an idempotency key) and an
    /// unfinished one, saved in that order.
    static func writeVersion3File(at path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: path)
        try LedgerSchema.migrator.migrate(queue, upTo: "v3: submissions")
        try queue.write { db in
            let runs = [
                summary("run_cli", status: .succeeded, at: 1_000), summary("run_done", status: .succeeded, at: 2_000),
                summary("run_open", status: .running, at: 3_000),
            ]
            for (seq, run) in runs.enumerated() {
                let json = String(decoding: try StreamingJSONEncoder().encodeBytes(run), as: UTF8.self)
                try db.execute(
                    sql: """
                        INSERT INTO run (id, workflow, status, tags, started_at_ms, ended_at_ms, cost_micros,
                            input_tokens, output_tokens, model_calls, tool_calls, summary, seq)
                        VALUES (?, 'triage', ?, '{"team":"care"}', ?, NULL, 0, 0, 0, 0, 0, ?, ?)
                        """,
                    arguments: [
                        run.id.rawValue, run.status.rawValue, StoredTime.milliseconds(run.startedAt), json, seq + 1,
                    ])
            }
            try db.execute(
                sql: """
                    INSERT INTO submission (id, idempotency_key, workflow, request, finished, document, submitted_at_ms)
                    VALUES ('run_done', 'key-1', 'triage', '{"input":{"ticket":"t"}}', 1, '{"id":"run_done"}', 2000000),
                           ('run_open', NULL, 'triage', '{"input":{"ticket":"t"}}', 0, NULL, 3000000)
                    """)
        }
    }

    @Test func aVersion3FileKeepsEveryRunAndSubmission() async throws {
        let directory = try TemporaryDirectory(prefix: "purser-v3")
        let path = directory.url.appendingPathComponent("data/purser.db").path
        try Self.writeVersion3File(at: path)
        let ledger = try SQLiteLedger(path: path, clock: ManualClock(wall: LedgerFixture.beforeMidnight))

        #expect(try await ledger.run(RunID("run_cli")) == Self.summary("run_cli", status: .succeeded, at: 1_000))
        #expect(try await ledger.run(RunID("run_open"))?.status == .running)
        #expect(try await ledger.submission(RunID("run_cli")) == nil)
        let done = try #require(try await ledger.submission(RunID("run_done")))
        #expect(done.idempotencyKey == "key-1")
        #expect(done.request == ["input": ["ticket": "t"]])
        #expect(done.document == Data(#"{"id":"run_done"}"#.utf8))
        #expect(try ledger.unfinishedSubmissions().map(\.id) == [RunID("run_open")])
        // Listing order (the order runs were first saved) survives the renumbering.
        let page = try await ledger.runs(limit: 2)
        #expect(page.runs.map(\.id.rawValue) == ["run_open", "run_done"])
        let rest = try await ledger.runs(limit: 2, cursor: page.nextCursor)
        #expect(rest.runs.map(\.id.rawValue) == ["run_cli"])

        // The key still finds its run instead of starting another.
        let again = Submission(
            id: RunID("run_new"), idempotencyKey: "key-1", workflow: "triage", request: ["input": [:]],
            submittedAt: Date())
        let accepted = try await ledger.accept(again, queued: Self.summary("run_new", status: .queued, at: 4_000))
        #expect(!accepted.created)
        #expect(accepted.submission.id == RunID("run_done"))
        #expect(try await ledger.run(RunID("run_new")) == nil)
    }

    /// The engine saves a submitted run it starts later (queued, then running) through the
    /// run store, on the same row: that save must leave the submission as it is.
    @Test func theEnginesSaveOfASubmittedRunKeepsItsSubmission() async throws {
        let fixture = try LedgerFixture()
        let submission = Submission(
            id: RunID("run_q"), idempotencyKey: "key-q", workflow: "triage", request: ["input": ["ticket": "t"]],
            submittedAt: Date(timeIntervalSince1970: 1_000))
        _ = try await fixture.ledger.accept(submission, queued: Self.summary("run_q", status: .queued, at: 1_000))
        let running = Self.summary("run_q", status: .running, at: 1_001)
        try await fixture.ledger.save(running)
        #expect(try await fixture.ledger.run(RunID("run_q")) == running)
        #expect(try await fixture.ledger.submission(RunID("run_q")) == submission)
        #expect(try fixture.ledger.unfinishedSubmissions() == [submission])
    }

    @Test func finishingARunThatWasNeverAcceptedIsRefusedAndWritesNothing() async throws {
        let fixture = try LedgerFixture()
        let cli = Self.summary("run_cli", status: .succeeded, at: 1_000)
        try await fixture.ledger.save(cli)
        for id in ["run_cli", "run_unknown"] {
            await #expect(throws: LedgerError.self) {
                try await fixture.ledger.finishSubmission(RunID(id), document: Data("{}".utf8))
            }
            let finished = Self.summary(id, status: .succeeded, at: 5_000)
            await #expect(throws: LedgerError.self) {
                try await fixture.ledger.finishSubmission(RunID(id), document: Data("{}".utf8), summary: finished)
            }
        }
        #expect(try await fixture.ledger.run(RunID("run_cli")) == cli)
        #expect(try await fixture.ledger.run(RunID("run_unknown")) == nil)
        #expect(try await fixture.ledger.submission(RunID("run_cli")) == nil)
    }

    @Test func aSummaryForAnotherRunCannotFinishASubmission() async throws {
        let fixture = try LedgerFixture()
        let submission = Submission(
            id: RunID("run_a"), idempotencyKey: nil, workflow: "triage", request: ["input": [:]], submittedAt: Date())
        let queued = Self.summary("run_a", status: .running, at: 1_000)
        _ = try await fixture.ledger.accept(submission, queued: queued)
        await #expect(throws: LedgerError.self) {
            try await fixture.ledger.finishSubmission(
                RunID("run_a"), document: Data("{}".utf8), summary: Self.summary("run_b", status: .succeeded, at: 1_000))
        }
        #expect(try await fixture.ledger.run(RunID("run_a")) == queued)
        #expect(try fixture.ledger.unfinishedSubmissions().map(\.id) == [RunID("run_a")])
    }

    /// The lookups a server makes per run use the partial indexes, not a scan of every run.
    @Test func submissionLookupsUseTheirIndexes() async throws {
        let fixture = try LedgerFixture()
        let plans = try await fixture.ledger.pool.read { db in
            try [
                "SELECT id FROM run WHERE idempotency_key = 'k'",
                "SELECT id FROM run WHERE finished = 0 ORDER BY submitted_at_ms, seq",
            ].map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("run_idempotency_key"), "\(plans[0])")
        #expect(plans[1].contains("run_unfinished"), "\(plans[1])")
    }
}
