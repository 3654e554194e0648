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
        let (name, data) = payload(event)
        return "id: \(id)\nevent: \(name)\ndata: \(encode(data))\n\n"
    }

    /// The event's name and a JSON-encodable body with named fields.
    static func payload(_ event: RunEvent) -> (String, any Encodable) {
        switch event {
        case .runStarted(let runID, let workflow):
            ("runStarted", ["runID": runID.rawValue, "workflow": workflow])
        case .callsPlanned(let total):
            ("callsPlanned", ["total": total])
        case .stepStarted(let key, let kind, let tierID):
            ("stepStarted", StepStarted(key: key, kind: kind, tierID: tierID))
        case .stepRetrying(let key, let attempt, let error, let delaySeconds):
            ("stepRetrying", StepRetrying(key: key, attempt: attempt, error: error, delaySeconds: delaySeconds))
        case .stepRerouted(let key, let from, let toTierID):
            ("stepRerouted", StepRerouted(key: key, from: from, toTierID: toTierID))
        case .budgetAlert(let alert):
            ("budgetAlert", alert)
        case .runPaused(let key, let budget, let reason):
            ("runPaused", ["key": key, "budget": budget, "reason": reason])
        case .runResumed(let key):
            ("runResumed", ["key": key])
        case .stepFinished(let record):
            ("stepFinished", record)
        case .runFinished(let summary):
            ("runFinished", summary)
        }
    }

    private struct StepStarted: Encodable {
        var key: String
        var kind: StepKind
        var tierID: String?
    }

    private struct StepRetrying: Encodable {
        var key: String
        var attempt: Int
        var error: PurserError
        var delaySeconds: Double
    }

    private struct StepRerouted: Encodable {
        var key: String
        var from: TierRejection
        var toTierID: String
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
