import Purser

@testable import PurserHTTP

/// Feeds a recorded `text/event-stream` to a new stream assembler through the SSE parser, cut
/// into `pieces` chunks as a network might cut it.
func assemble<Stream: StreamAssembler>(_ text: String, pieces: Int, into _: Stream.Type) throws -> Stream {
    var parser = ServerSentEventParser()
    var stream = Stream()
    let bytes = Array(text.utf8)
    let size = max(1, bytes.count / pieces)
    for start in stride(from: 0, to: bytes.count, by: size) {
        for event in parser.feed(bytes[start..<min(bytes.count, start + size)]) { try stream.feed(event) }
    }
    return stream
}
