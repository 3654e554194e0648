import Foundation
import Purser
import Testing

@testable import PurserSQLite

/// A run's document is stored as the bytes the server encoded, without becoming a `String`
/// on the way in; it reads back as it went in, and bytes that are not UTF-8 (which the server
/// never sends, but the method is public) read back repaired, never as a crash.
@Suite("A finished run's document")
struct SubmissionDocumentTests {
    static func finish(_ id: String, document: Data, in ledger: SQLiteLedger) async throws -> Data? {
        let submission = Submission(
            id: RunID(id), idempotencyKey: nil, workflow: "w", request: ["input": [:]], submittedAt: Date())
        let summary = RunSummary(
            id: RunID(id), workflow: "w", status: .running, input: [:], tags: [:], startedAt: Date(), endedAt: nil,
            totals: RunTotals(), output: nil, error: nil)
        _ = try await ledger.accept(submission, queued: summary)
        var finished = summary
        finished.status = .succeeded
        finished.endedAt = Date()
        try await ledger.finishSubmission(RunID(id), document: document, summary: finished)
        #expect(try await ledger.run(RunID(id))?.status == .succeeded)
        #expect(try ledger.unfinishedSubmissions().isEmpty)
        return try await ledger.submission(RunID(id))?.document
    }

    @Test func theDocumentReadsBackByteForByte() async throws {
        let fixture = try LedgerFixture()
        let document = Data(#"{"id":"run_1","output":"héllo ✓ 🙂","steps":[]}"#.utf8)
        #expect(try await Self.finish("run_1", document: document, in: fixture.ledger) == document)
    }

    @Test func bytesThatAreNotUTF8ReadBackRepaired() async throws {
        let fixture = try LedgerFixture()
        let read = try await Self.finish("run_2", document: Data([0x7B, 0xFF, 0x7D]), in: fixture.ledger)
        #expect(read == Data("{\u{FFFD}}".utf8))
    }
}
