import Foundation
import Purser

/// A run's document is written once per run, by every run a server finishes, and answered as
/// sent; through `Codable`'s containers its top level alone cost about as much as everything
/// nested in it. So it writes its own members, exactly as its `Encodable` conformance does
/// (a test compares the two byte for byte).
extension RunView: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("id", id.rawValue)
        object.string("workflow", workflow)
        object.string("status", status.rawValue)
        try object.value("tags", tags)
        object.string("idempotencyKey", ifPresent: idempotencyKey)
        try object.date("submittedAt", ifPresent: submittedAt)
        try object.date("startedAt", ifPresent: startedAt)
        try object.date("endedAt", ifPresent: endedAt)
        if let durationSeconds { try object.double("durationSeconds", durationSeconds) }
        try object.value("output", ifPresent: output)
        try object.value("error", ifPresent: error)
        try object.array("steps", steps)
        try object.value("totals", totals)
        try object.value("estimate", ifPresent: estimate)
        try object.value("estimateVsActual", ifPresent: estimateVsActual)
        object.end()
    }
}

extension RunView.EstimateVsActual: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.money("expectedCost", expectedCost)
        object.money("p95Cost", p95Cost)
        object.money("worstCost", worstCost)
        object.money("actualCost", actualCost)
        object.bool("withinP95", withinP95)
        object.bool("withinWorst", withinWorst)
        object.end()
    }
}
