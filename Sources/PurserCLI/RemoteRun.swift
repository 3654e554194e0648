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
        let data = Data(message.data.utf8)
        func decode<T: Decodable>(_ type: T.Type) -> T? { try? ServerConnection.decoder.decode(type, from: data) }
        switch message.event {
        case "runStarted":
            guard let fields = decode([String: String].self), let id = fields["runID"], let workflow = fields["workflow"]
            else { return nil }
            return .runStarted(runID: RunID(id), workflow: workflow)
        case "callsPlanned":
            return decode([String: Int].self)?["total"].map { .callsPlanned(total: $0) }
        case "stepStarted":
            return decode(StepStarted.self).map { .stepStarted(key: $0.key, kind: $0.kind, tierID: $0.tierID) }
        case "stepRetrying":
            return decode(StepRetrying.self).map {
                .stepRetrying(key: $0.key, attempt: $0.attempt, error: $0.error, delaySeconds: $0.delaySeconds)
            }
        case "stepRerouted":
            return decode(StepRerouted.self).map { .stepRerouted(key: $0.key, from: $0.from, toTierID: $0.toTierID) }
        case "budgetAlert":
            return decode(BudgetAlert.self).map { .budgetAlert($0) }
        case "runPaused":
            guard let fields = decode([String: String].self), let key = fields["key"] else { return nil }
            return .runPaused(key: key, budget: fields["budget"] ?? "", reason: fields["reason"] ?? "")
        case "runResumed":
            return decode([String: String].self)?["key"].map { .runResumed(key: $0) }
        case "stepFinished":
            return decode(StepRecord.self).map { .stepFinished($0) }
        case "runFinished":
            return decode(RunSummary.self).map { .runFinished($0) }
        default:
            return nil
        }
    }

    private struct StepStarted: Decodable {
        var key: String
        var kind: StepKind
        var tierID: String?
    }

    private struct StepRetrying: Decodable {
        var key: String
        var attempt: Int
        var error: PurserError
        var delaySeconds: Double
    }

    private struct StepRerouted: Decodable {
        var key: String
        var from: TierRejection
        var toTierID: String
    }
}
