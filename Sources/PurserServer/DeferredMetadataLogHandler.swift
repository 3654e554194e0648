import Logging

/// Keeps a logger's metadata as a dictionary and hands it to the wrapped handler only with a line
/// that is written, as that line's metadata.
///
/// Why: Hummingbird sets a request id on every request's logger, and swift-log's
/// `StreamLogHandler` renders all of its metadata to text on every such change, whether or not a
/// line is ever written. At 16 clients that was about 1% of the server's CPU (`perf`,
/// 2026-12-01), for lines that at the default level never are.
///
/// What a written line says is unchanged, with one difference nobody here relies on: where a
/// metadata provider and the logger give the same key, the logger's value wins (a plain
/// `StreamLogHandler` lets the provider's win).
struct DeferredMetadataLogHandler: LogHandler {
    private var base: any LogHandler
    var metadata: Logger.Metadata

    /// Takes over `base`'s metadata, so that from here on `base` is never asked to render it.
    init(wrapping base: any LogHandler) {
        var base = base
        metadata = base.metadata
        if !metadata.isEmpty { base.metadata = [:] }
        self.base = base
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        base.log(event: event)
    }
}

extension Logger {
    /// This logger, with metadata set on it rendered only when a line is written (see
    /// ``DeferredMetadataLogHandler``).
    func deferringMetadata() -> Logger {
        var logger = self
        logger.handler = DeferredMetadataLogHandler(wrapping: handler)
        return logger
    }
}
