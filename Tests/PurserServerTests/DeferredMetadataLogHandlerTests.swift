import Logging
import Synchronization
import Testing

@testable import PurserServer

/// The request loggers' handler: lines read as `StreamLogHandler` writes them, and metadata set
/// on a logger never reaches the wrapped handler until a line is written.
@Suite struct DeferredMetadataLogHandlerTests {
    /// Collects what a `StreamLogHandler` writes.
    final class Lines: TextOutputStream, Sendable {
        let written = Mutex<[String]>([])
        func write(_ string: String) { written.withLock { $0.append(string) } }
    }

    /// A handler that counts how often its metadata is changed and keeps the events it logs.
    struct CountingHandler: LogHandler {
        final class Record: Sendable {
            let metadataChanges = Atomic<Int>(0)
            let events = Mutex<[LogEvent]>([])
        }
        let record: Record
        var logLevel: Logger.Level = .info
        var metadataProvider: Logger.MetadataProvider?
        var metadata: Logger.Metadata = [:] {
            didSet { record.metadataChanges.add(1, ordering: .relaxed) }
        }
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { record.events.withLock { $0.append(event) } }
    }

    /// A line without its leading timestamp, which differs between two handlers.
    private func withoutTimestamp(_ line: String) -> Substring {
        line.drop { $0 != " " }
    }

    @Test func linesReadAsTheStreamHandlerWritesThem() throws {
        let plainLines = Lines()
        let deferredLines = Lines()
        var plain = Logger(label: "purser.test") { StreamLogHandler(label: $0, stream: plainLines, metadataProvider: nil) }
        var deferred = Logger(label: "purser.test") {
            StreamLogHandler(label: $0, stream: deferredLines, metadataProvider: nil)
        }
        plain[metadataKey: "service"] = "purser"
        deferred[metadataKey: "service"] = "purser"
        deferred = deferred.deferringMetadata()
        plain[metadataKey: "hb.request.id"] = "42"
        deferred[metadataKey: "hb.request.id"] = "42"
        plain[metadataKey: "gone"] = "soon"
        deferred[metadataKey: "gone"] = "soon"
        plain[metadataKey: "gone"] = nil
        deferred[metadataKey: "gone"] = nil

        plain.info("accepted", metadata: ["run": "run_1", "service": "explicit wins"])
        deferred.info("accepted", metadata: ["run": "run_1", "service": "explicit wins"])
        plain.warning("no metadata of its own")
        deferred.warning("no metadata of its own")
        plain.debug("below the level")
        deferred.debug("below the level")

        let expected = plainLines.written.withLock { $0 }.map(withoutTimestamp)
        let got = deferredLines.written.withLock { $0 }.map(withoutTimestamp)
        #expect(expected.count == 2)
        #expect(got == expected)
        #expect(got.first?.contains("hb.request.id=42") == true)
        #expect(got.first?.contains("service=explicit wins") == true)
        #expect(got.first?.contains("gone") == false)
    }

    @Test func metadataReachesTheWrappedHandlerOnlyWithALine() throws {
        let record = CountingHandler.Record()
        var logger = Logger(label: "purser.test") { _ in CountingHandler(record: record) }
        logger[metadataKey: "before"] = "wrapping"
        let changesBefore = record.metadataChanges.load(ordering: .relaxed)
        logger = logger.deferringMetadata()
        // Taking the metadata over clears the wrapped handler's once.
        #expect(record.metadataChanges.load(ordering: .relaxed) == changesBefore + 1)

        for request in 0..<100 { logger[metadataKey: "hb.request.id"] = "\(request)" }
        logger.logLevel = .debug
        #expect(record.metadataChanges.load(ordering: .relaxed) == changesBefore + 1)
        #expect(logger.logLevel == .debug)
        #expect(logger[metadataKey: "before"] == "wrapping")

        logger.debug("one line", metadata: ["hb.request.id": "explicit"])
        let events = record.events.withLock { $0 }
        #expect(events.count == 1)
        #expect(events.first?.metadata == ["before": "wrapping", "hb.request.id": "explicit"])
    }

    @Test func copiesKeepTheirOwnMetadata() {
        let record = CountingHandler.Record()
        let base = Logger(label: "purser.test") { _ in CountingHandler(record: record) }.deferringMetadata()
        var first = base
        var second = base
        first[metadataKey: "hb.request.id"] = "1"
        second[metadataKey: "hb.request.id"] = "2"
        first.info("first")
        second.info("second")
        base.info("base")
        let ids = record.events.withLock { $0 }.map { $0.metadata?["hb.request.id"] }
        #expect(ids == ["1", "2", nil])
    }
}
