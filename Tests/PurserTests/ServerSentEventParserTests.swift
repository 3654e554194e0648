import Purser
import Testing

@Suite("Server-sent event parser")
struct ServerSentEventParserTests {
    @Test func eventsComeOutWhenTheirBlankLineArrivesWhateverTheSplit() {
        let text = "event: a\nid: 1\ndata: first\ndata: second\n\n: a comment\n\ndata: {\"x\":1}\r\n\r\nevent: b\n\n"
        let bytes = Array(text.utf8)
        for size in [1, 2, 5, bytes.count] {
            var parser = ServerSentEventParser()
            var events: [ServerSentEvent] = []
            var start = 0
            while start < bytes.count {
                events += parser.feed(bytes[start..<min(bytes.count, start + size)])
                start += size
            }
            #expect(
                events == [
                    ServerSentEvent(id: "1", event: "a", data: "first\nsecond"),
                    ServerSentEvent(data: #"{"x":1}"#),
                    ServerSentEvent(event: "b", data: ""),
                ], "split every \(size) bytes")
            #expect(!parser.hasPartialEvent)
        }
    }

    @Test func aStreamCutMidEventLeavesAPartialEvent() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: one\n\ndata: tw".utf8)) == [ServerSentEvent(data: "one")])
        #expect(parser.hasPartialEvent)
    }
}
