import Purser
import Synchronization

/// Every event of one live run, kept so a client that subscribes late (or reconnects) gets the
/// whole story from the start, then the rest as it happens; every subscriber's stream ends
/// when the run does.
final class RunEventLog: Sendable {
    private struct State {
        var events: [RunEvent] = []
        var subscribers: [Int: AsyncStream<RunEvent>.Continuation] = [:]
        var nextSubscriber = 0
        var ended = false
    }

    private let state = Mutex(State())

    func append(_ event: RunEvent) {
        state.withLock { state in
            state.events.append(event)
            for subscriber in state.subscribers.values { subscriber.yield(event) }
        }
    }

    /// The records of the steps finished so far.
    var finishedSteps: [StepRecord] {
        state.withLock { state in
            state.events.compactMap { event in
                if case .stepFinished(let record) = event { return record }
                return nil
            }
        }
    }

    /// Past events, then live ones, ending with the run.
    func subscribe() -> AsyncStream<RunEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: RunEvent.self, bufferingPolicy: .unbounded)
        state.withLock { state in
            for event in state.events { continuation.yield(event) }
            if state.ended {
                continuation.finish()
                return
            }
            let id = state.nextSubscriber
            state.nextSubscriber += 1
            state.subscribers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// Ends every subscriber's stream, now and for later subscribers after their replay.
    func end() {
        let subscribers = state.withLock { state in
            state.ended = true
            defer { state.subscribers = [:] }
            return Array(state.subscribers.values)
        }
        for subscriber in subscribers { subscriber.finish() }
    }
}
