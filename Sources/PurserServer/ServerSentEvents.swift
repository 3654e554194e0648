import Foundation
import Hummingbird
import Purser

/// A run's events as Server-Sent Events (`text/event-stream`): one message per event, named
/// after it (`event: stepFinished`), its data one line of JSON, with a sequence number as its
/// id. The stream starts from the run's first event, whenever the client connects, and ends
/// after `runFinished`.
enum ServerSentEvents {
    static func response(_ events: AsyncStream<RunEvent>) -> Response {
        Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var sequence = 0
                for await event in events {
                    sequence += 1
                    try await writer.write(ByteBuffer(string: message(event, id: sequence)))
                }
                try await writer.finish(nil)
            })
    }

    /// The stream of a run that has already ended: its final summary alone.
    static func response(ended summary: RunSummary) -> Response {
        Response(
            status: .ok, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: message(.runFinished(summary), id: 1))))
    }

    private static let headers: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-store",
    ]

    static func message(_ event: RunEvent, id: Int) -> String {
        "id: \(id)\nevent: \(event.wireName)\ndata: \(encode(event.wireBody))\n\n"
    }

    private static func encode(_ value: any Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        guard let data = try? encoder.encode(value) else { return "null" }
        // JSON text never holds a raw newline (they are escaped in strings), so one data line suffices.
        return String(decoding: data, as: UTF8.self)
    }
}
