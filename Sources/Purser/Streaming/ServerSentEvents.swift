/// One Server-Sent Event (`text/event-stream`): what Purser's own API streams for a run, and
/// what model providers stream as they answer.
public struct ServerSentEvent: Sendable, Hashable {
    public var id: String?
    /// The `event:` field; `message` when the block has none.
    public var event: String
    /// The `data:` lines, joined with newlines.
    public var data: String

    public init(id: String? = nil, event: String = "message", data: String) {
        self.id = id
        self.event = event
        self.data = data
    }
}

/// Splits a byte stream into events as the bytes arrive, in whatever pieces the network cuts
/// them: an event is returned once its closing blank line has arrived. Lines may end in LF or
/// CRLF; comment lines (`:`) and blocks with neither data nor an event name are skipped.
public struct ServerSentEventParser: Sendable {
    private var pending: [UInt8] = []

    public init() {}

    /// Bytes received but not yet part of a complete event (a stream that ends with some is cut).
    public var hasPartialEvent: Bool { pending.contains { $0 != 10 && $0 != 13 } }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [ServerSentEvent] {
        pending.append(contentsOf: bytes.lazy.filter { $0 != 13 })
        var events: [ServerSentEvent] = []
        while let end = blockEnd() {
            let block = String(decoding: pending[..<end.start], as: UTF8.self)
            pending.removeFirst(end.after)
            if let event = Self.event(from: block) { events.append(event) }
        }
        return events
    }

    private static func event(from block: String) -> ServerSentEvent? {
        var event = ServerSentEvent(data: "")
        var named = false
        var data: [Substring] = []
        for line in block.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix(":") {
            let (field, value) = fieldAndValue(line)
            switch field {
            case "event":
                event.event = String(value)
                named = true
            case "id": event.id = String(value)
            case "data": data.append(value)
            default: continue
            }
        }
        guard named || !data.isEmpty else { return nil }
        event.data = data.joined(separator: "\n")
        return event
    }

    /// `field: value`, with the one optional space after the colon removed.
    private static func fieldAndValue(_ line: Substring) -> (Substring, Substring) {
        guard let colon = line.firstIndex(of: ":") else { return (line, "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (line[..<colon], value)
    }

    private func blockEnd() -> (start: Int, after: Int)? {
        guard pending.count >= 2 else { return nil }
        for index in 0..<(pending.count - 1) where pending[index] == 10 && pending[index + 1] == 10 {
            return (index, index + 2)
        }
        return nil
    }
}
