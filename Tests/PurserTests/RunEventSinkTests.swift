import Foundation
import Purser
import Synchronization
import Testing

/// A run started with a sink hands it every event the handle's stream would have carried, in
/// the same order, as they happen; the stream itself then ends empty.
@Suite("Run event sinks")
struct RunEventSinkTests {
    static let workflow = Workflow("sink") {
        ModelStep("a", prompt: "Say hello").maxOutputTokens(20)
        ModelStep("b", prompt: "Say {{steps.a}} again").maxOutputTokens(20)
    }

    @Test func aSinkGetsWhatTheStreamWouldHaveCarried() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let graph = try engine.compile(Self.workflow)

        let streamed = try await engine.start(graph, input: .object([:]))
        var fromStream: [String] = []
        for await event in streamed.events { fromStream.append(event.wireName) }

        let received = Mutex<[RunEvent]>([])
        let sunk = try await engine.start(graph, input: .object([:]), sink: RunEventSink { event in
            received.withLock { $0.append(event) }
        })
        var leftInStream = 0
        for await _ in sunk.events { leftInStream += 1 }
        let result = await sunk.result()

        let events = received.withLock { $0 }
        #expect(result.status == .succeeded)
        #expect(leftInStream == 0)
        #expect(events.map(\.wireName) == fromStream)
        #expect(events.first?.wireName == "runStarted")
        guard case .runFinished(let summary)? = events.last else {
            Issue.record("the last event was \(String(describing: events.last))")
            return
        }
        #expect(summary.id == sunk.id && summary.totals == result.totals)
        let finishedSteps = events.compactMap { event -> String? in
            if case .stepFinished(let record) = event { return record.key }
            return nil
        }
        #expect(finishedSteps == ["a", "b"])
    }
}
