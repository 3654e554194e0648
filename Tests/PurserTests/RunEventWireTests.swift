import Foundation
import Purser
import Testing

/// Every run event survives the trip the server and the CLI make it take: named, encoded as
/// its body, and read back into the same event.
@Suite("Run events on the wire")
struct RunEventWireTests {
    static func roundTrip(_ event: RunEvent) throws -> RunEvent? {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let body = try encoder.encode(event.wireBody)
        return RunEvent(wireName: event.wireName, body: body, decoder: decoder)
    }

    @Test func eventsOfARealRunComeBackEqual() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("wire") {
            ModelStep("a", prompt: "Say hello").maxOutputTokens(20)
        }
        let handle = try await engine.start(try engine.compile(workflow), input: .object([:]))
        var events: [RunEvent] = []
        for await event in handle.events { events.append(event) }
        #expect(events.count >= 4)
        for event in events {
            let back = try #require(try Self.roundTrip(event), "\(event.wireName) did not decode")
            // Dates go through ISO 8601 (whole seconds), so finished events are compared by name and key.
            switch (event, back) {
            case (.stepFinished(let sent), .stepFinished(let read)):
                #expect(read.key == sent.key && read.usage == sent.usage && read.cost == sent.cost)
            case (.runFinished(let sent), .runFinished(let read)):
                #expect(read.id == sent.id && read.status == sent.status && read.totals == sent.totals)
            default:
                #expect(back == event)
            }
        }
    }

    @Test func eventsARunSendsOnlyWhenThingsGoWrongComeBackEqual() throws {
        let events: [RunEvent] = [
            .stepRetrying(key: "a", attempt: 2, error: PurserError(.providerFailure, "rate limited", stepKey: "a"), delaySeconds: 1.5),
            .stepRerouted(key: "a", from: TierRejection(tierID: "sim-nano", .failed(error: "timeout")), toTierID: "sim-mini"),
            .budgetAlert(
                BudgetAlert(
                    kind: .softThreshold, budget: "global/day", periodKey: "2026-11-29", spent: Money(micros: 5),
                    limit: Money(micros: 10), message: "half spent")),
            .runPaused(key: "a", budget: "global/day", reason: "the cap is reached"),
            .runResumed(key: "a"),
            .callsPlanned(total: 7),
        ]
        for event in events {
            #expect(try Self.roundTrip(event) == event, "\(event.wireName)")
        }
    }

    @Test func unknownNamesAndBadBodiesAreSkipped() {
        let decoder = JSONDecoder()
        #expect(RunEvent(wireName: "stepTeleported", body: Data("{}".utf8), decoder: decoder) == nil)
        #expect(RunEvent(wireName: "callsPlanned", body: Data("{\"total\":\"seven\"}".utf8), decoder: decoder) == nil)
    }
}
