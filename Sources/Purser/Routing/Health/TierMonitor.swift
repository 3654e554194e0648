import Synchronization

/// What the engine learns about tiers while it runs: latency, failures, and calls in flight.
///
/// Shared by every run of an engine. A mutex rather than an actor: it is read and updated
/// on every model call from the executor's own tasks, each critical section is a few array
/// reads, and none suspends, so an actor hop would cost more than the work it guards.
public final class TierMonitor: Sendable {
    public let tiers: [Tier]
    private let clock: any PurserClock
    private let state: Mutex<State>

    /// How a call on a tier ended, as far as the tier's health is concerned.
    public enum Outcome: Sendable, Hashable {
        case succeeded(timeToFirstToken: Double?, outputTokens: Int, seconds: Double)
        /// The tier failed the call (timeout, overload, server error, bad answer from the API).
        case failed
        /// The call ended for reasons of its own (cancelled, refused by the budget, a request
        /// the tier rightly rejected): says nothing about the tier.
        case abandoned
    }

    private struct TierState {
        var learner = LatencyLearner()
        var breaker: CircuitBreaker
        var inFlight = 0
        var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
        var calls = 0
        var failures = 0
    }

    private struct State {
        var tiers: [TierState]
        var nextWaiterID = 0
        /// What ``conditions()`` returns, kept current as calls start and end, so reading it
        /// is a copy-on-write share rather than a walk over every tier.
        var conditions: [TierCondition]
        /// Tiers whose circuit is open: their state moves with the clock, so it is worked out
        /// when read.
        var open: Set<Int> = []
    }

    public init(tiers: [Tier], clock: any PurserClock, breaker: CircuitBreaker.Policy = CircuitBreaker.Policy()) {
        self.tiers = tiers
        self.clock = clock
        state = Mutex(
            State(
                tiers: tiers.map { _ in TierState(breaker: CircuitBreaker(policy: breaker)) },
                conditions: tiers.map { _ in TierCondition() }))
    }

    /// The conditions routing reads now.
    public func conditions() -> TierConditions {
        let now = clock.monotonicNow()
        return state.withLock { state in
            for index in state.open { refresh(index, in: &state, at: now) }
            return TierConditions(state.conditions)
        }
    }

    /// Brings tier `index`'s entry in ``State/conditions`` up to date after a change.
    private func refresh(_ index: Int, in state: inout State, at now: Duration) {
        let entry = state.tiers[index]
        let circuit = entry.breaker.state(at: now)
        state.conditions[index] = TierCondition(
            latency: entry.learner.model(prior: tiers[index].latency), circuit: circuit,
            saturated: tiers[index].concurrencyLimit.map { entry.inFlight >= $0 } ?? false)
        if case .open = circuit { state.open.insert(index) } else { state.open.remove(index) }
    }

    /// Takes a call slot on the tier, and its probe when the tier is recovering. False when
    /// the slot or the probe went to another call since the conditions were read.
    public func tryAcquire(_ index: Int) -> Bool {
        let now = clock.monotonicNow()
        return state.withLock { state in
            if let limit = tiers[index].concurrencyLimit, state.tiers[index].inFlight >= limit { return false }
            guard state.tiers[index].breaker.admit(at: now) else { return false }
            state.tiers[index].inFlight += 1
            refresh(index, in: &state, at: now)
            return true
        }
    }

    /// Waits for a call slot on the tier (for when every feasible tier is at its limit), then
    /// takes it as ``tryAcquire(_:)`` would. False when the circuit refuses the call.
    public func acquire(_ index: Int) async throws -> Bool {
        if tryAcquire(index) { return true }
        let id = state.withLock { state in
            defer { state.nextWaiterID += 1 }
            return state.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Entry { case acquired, queued, cancelled }
                // Checked under the lock, so a cancellation either is seen here or finds the
                // waiter queued.
                let entry: Entry = state.withLock { state in
                    if Task.isCancelled { return .cancelled }
                    if let limit = tiers[index].concurrencyLimit, state.tiers[index].inFlight >= limit {
                        state.tiers[index].waiters.append((id, continuation))
                        return .queued
                    }
                    state.tiers[index].inFlight += 1
                    refresh(index, in: &state, at: clock.monotonicNow())
                    return .acquired
                }
                switch entry {
                case .acquired: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued: break
                }
            }
        } onCancel: {
            cancelWaiter(id, index: index)
        }
        // The slot is ours; the circuit must still admit the call.
        let now = clock.monotonicNow()
        let admitted = state.withLock { state in
            let admitted = state.tiers[index].breaker.admit(at: now)
            refresh(index, in: &state, at: now)
            return admitted
        }
        if !admitted || Task.isCancelled {
            freeSlot(index)
            if Task.isCancelled { throw CancellationError() }
        }
        return admitted
    }

    /// Ends a call taken with ``tryAcquire(_:)`` or ``acquire(_:)``: learns from it and frees its slot.
    public func release(_ index: Int, outcome: Outcome) {
        let now = clock.monotonicNow()
        state.withLock { state in
            switch outcome {
            case .succeeded(let ttft, let outputTokens, let seconds):
                state.tiers[index].calls += 1
                state.tiers[index].learner.observe(
                    timeToFirstToken: ttft, outputTokens: outputTokens, seconds: seconds, prior: tiers[index].latency)
                state.tiers[index].breaker.recordSuccess()
            case .failed:
                state.tiers[index].calls += 1
                state.tiers[index].failures += 1
                state.tiers[index].breaker.recordFailure(at: now)
            case .abandoned:
                state.tiers[index].breaker.abandonProbe()
            }
            refresh(index, in: &state, at: now)
        }
        freeSlot(index)
    }

    /// Each tier's learned latency, circuit and load, for `purser tiers` and the API.
    public func health() -> [TierHealth] {
        let now = clock.monotonicNow()
        return state.withLock { state in
            tiers.indices.map { index in
                let entry = state.tiers[index]
                return TierHealth(
                    tierID: tiers[index].id, samples: entry.learner.samples,
                    learnedLatency: entry.learner.model(prior: tiers[index].latency),
                    circuit: entry.breaker.state(at: now), inFlight: entry.inFlight, calls: entry.calls,
                    failures: entry.failures)
            }
        }
    }

    private func freeSlot(_ index: Int) {
        let now = clock.monotonicNow()
        let next = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            if state.tiers[index].waiters.isEmpty {
                state.tiers[index].inFlight -= 1
                refresh(index, in: &state, at: now)
                return nil
            }
            // The slot passes straight to the longest waiter; in-flight stays the same.
            return state.tiers[index].waiters.removeFirst().continuation
        }
        next?.resume()
    }

    private func cancelWaiter(_ id: Int, index: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard let position = state.tiers[index].waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.tiers[index].waiters.remove(at: position).continuation
        }
        waiter?.resume(throwing: CancellationError())
    }
}

/// One tier's health as the engine sees it.
public struct TierHealth: Sendable, Hashable, Codable {
    public var tierID: String
    /// Successful calls the latency was learned from.
    public var samples: Int
    /// `nil` until enough calls were seen; the catalog's model is used until then.
    public var learnedLatency: LatencyModel?
    public var circuit: CircuitState
    public var inFlight: Int
    public var calls: Int
    public var failures: Int
}
