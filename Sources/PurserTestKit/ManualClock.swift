import Foundation
import Purser
import Synchronization

/// A clock that moves only when a test says so. Sleepers wait until ``advance(by:)`` carries
/// the time past their deadline, so timeouts, backoff and latency are tested without waiting.
public final class ManualClock: PurserClock {
    private struct Sleeper {
        let deadline: Duration
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Duration = .zero
        var wall: Date
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
        var sleeps: [Duration] = []
    }

    private let state: Mutex<State>

    public init(wall: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(wall: wall))
    }

    public func monotonicNow() -> Duration { state.withLock { $0.now } }
    public func wallNow() -> Date { state.withLock { $0.wall } }

    /// Every duration anyone asked to sleep, in order.
    public var sleepRequests: [Duration] { state.withLock { $0.sleeps } }

    /// How many tasks are asleep right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    public func sleep(for duration: Duration) async throws {
        let id = state.withLock { state -> Int in
            state.nextID += 1
            state.sleeps.append(duration)
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow = state.withLock { state -> Bool in
                    if duration <= .zero { return true }
                    state.sleepers[id] = Sleeper(deadline: state.now + duration, continuation: continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward, waking every sleeper whose deadline has come.
    public func advance(by duration: Duration) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += duration
            state.wall = state.wall.addingTimeInterval(duration.seconds)
            let ready = state.sleepers.filter { $0.value.deadline <= state.now }
            for id in ready.keys { state.sleepers[id] = nil }
            return ready.sorted { $0.key < $1.key }.map(\.value)
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Waits (really, briefly yielding) until at least `count` tasks sleep on this clock.
    public func waitForSleepers(_ count: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while sleeperCount < count {
            guard ContinuousClock.now < deadline else {
                throw TestKitError("expected \(count) sleepers on the manual clock, have \(sleeperCount)")
            }
            try await Task.sleep(for: .milliseconds(1))
        }
    }
}

/// A fixture that did not behave as the test expected.
public struct TestKitError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
