import Foundation

/// How a ``RunEvent`` travels between processes: a name (`stepFinished`) and a JSON body of
/// named fields. The server writes events this way as Server-Sent Events and the CLI reads
/// them back; both use this one definition, so a new event or field cannot be added to one
/// side and forgotten on the other.
extension RunEvent {
    /// The event's name, as in `event: stepFinished`.
    public var wireName: String {
        switch self {
        case .runStarted: "runStarted"
        case .callsPlanned: "callsPlanned"
        case .stepStarted: "stepStarted"
        case .stepRetrying: "stepRetrying"
        case .stepRerouted: "stepRerouted"
        case .budgetAlert: "budgetAlert"
        case .runPaused: "runPaused"
        case .runResumed: "runResumed"
        case .stepFinished: "stepFinished"
        case .runFinished: "runFinished"
        }
    }

    /// The event's body: an object of named fields (or the record, summary or alert itself).
    public var wireBody: any Encodable & Sendable {
        switch self {
        case .runStarted(let runID, let workflow): RunStartedBody(runID: runID.rawValue, workflow: workflow)
        case .callsPlanned(let total): CallsPlannedBody(total: total)
        case .stepStarted(let key, let kind, let tierID): StepStartedBody(key: key, kind: kind, tierID: tierID)
        case .stepRetrying(let key, let attempt, let error, let delaySeconds):
            StepRetryingBody(key: key, attempt: attempt, error: error, delaySeconds: delaySeconds)
        case .stepRerouted(let key, let from, let toTierID): StepReroutedBody(key: key, from: from, toTierID: toTierID)
        case .budgetAlert(let alert): alert
        case .runPaused(let key, let budget, let reason): RunPausedBody(key: key, budget: budget, reason: reason)
        case .runResumed(let key): RunResumedBody(key: key)
        case .stepFinished(let record): record
        case .runFinished(let summary): summary
        }
    }

    /// The event named `name` with `body`; `nil` for a name this build does not know or a body
    /// that does not decode (a newer server may send events an older client skips).
    public init?(wireName name: String, body: Data, decoder: JSONDecoder) {
        func decode<T: Decodable>(_ type: T.Type) -> T? { try? decoder.decode(type, from: body) }
        let event: RunEvent?
        switch name {
        case "runStarted": event = decode(RunStartedBody.self).map { .runStarted(runID: RunID($0.runID), workflow: $0.workflow) }
        case "callsPlanned": event = decode(CallsPlannedBody.self).map { .callsPlanned(total: $0.total) }
        case "stepStarted":
            event = decode(StepStartedBody.self).map { .stepStarted(key: $0.key, kind: $0.kind, tierID: $0.tierID) }
        case "stepRetrying":
            event = decode(StepRetryingBody.self).map {
                .stepRetrying(key: $0.key, attempt: $0.attempt, error: $0.error, delaySeconds: $0.delaySeconds)
            }
        case "stepRerouted":
            event = decode(StepReroutedBody.self).map { .stepRerouted(key: $0.key, from: $0.from, toTierID: $0.toTierID) }
        case "budgetAlert": event = decode(BudgetAlert.self).map { .budgetAlert($0) }
        case "runPaused": event = decode(RunPausedBody.self).map { .runPaused(key: $0.key, budget: $0.budget, reason: $0.reason) }
        case "runResumed": event = decode(RunResumedBody.self).map { .runResumed(key: $0.key) }
        case "stepFinished": event = decode(StepRecord.self).map { .stepFinished($0) }
        case "runFinished": event = decode(RunSummary.self).map { .runFinished($0) }
        default: event = nil
        }
        guard let event else { return nil }
        self = event
    }
}

private struct RunStartedBody: Codable, Sendable {
    var runID: String
    var workflow: String
}

private struct CallsPlannedBody: Codable, Sendable {
    var total: Int
}

private struct StepStartedBody: Codable, Sendable {
    var key: String
    var kind: StepKind
    var tierID: String?
}

private struct StepRetryingBody: Codable, Sendable {
    var key: String
    var attempt: Int
    var error: PurserError
    var delaySeconds: Double
}

private struct StepReroutedBody: Codable, Sendable {
    var key: String
    var from: TierRejection
    var toTierID: String
}

private struct RunPausedBody: Codable, Sendable {
    var key: String
    var budget: String
    var reason: String
}

private struct RunResumedBody: Codable, Sendable {
    var key: String
}
