import Foundation
import Purser
import PurserClient

/// A run on a server, as the CLI shows it: the server's event stream read back into
/// ``RunEvent``s for the progress line, and its final view into a ``RunResult`` for the same
/// report an embedded run prints.
enum RemoteRun {
    /// The run as `GET /v1/runs/{id}` shows it.
    struct View: Decodable {
        var id: RunID
        var workflow: String
        var status: RunStatus
        var output: JSONValue?
        var error: PurserError?
        var steps: [StepRecord]
        var totals: RunTotals
        var durationSeconds: Double?
        var estimate: RunEstimate?

        var result: RunResult {
            RunResult(
                id: id, workflow: workflow, status: status, output: output, records: steps, totals: totals,
                duration: durationSeconds ?? 0, error: error, estimate: estimate)
        }
    }

    /// The event a server-sent event carries; `nil` for names this CLI does not know.
    static func event(_ message: ServerSentEvent) -> RunEvent? {
        RunEvent(wireName: message.event, body: Data(message.data.utf8), decoder: ServerConnection.decoder)
    }
}
