import Purser
import Synchronization

/// A provider whose answers a test writes out call by call: a response, a failure, a hang
/// until cancelled, or a pause on a real clock. It records every request and tracks how many
/// calls overlap, so tests can see concurrency.
public final class ScriptedProvider: ModelProvider {
    public enum Step: Sendable {
        case respond(ModelResponse)
        case fail(ProviderError)
        /// Never answers; ends only by cancellation.
        case hang
        /// Answers after a real pause (to make calls overlap in time).
        case delay(Duration, ModelResponse)
    }

    private struct State {
        var script: [Step]
        var fallback: Step?
        var requests: [(ModelRequest, String)] = []
        var inFlight = 0
        var maxInFlight = 0
    }

    public let name: String
    private let state: Mutex<State>

    /// - Parameters:
    ///   - script: answers in call order.
    ///   - fallback: what to do once the script is used up (a test fails loudly otherwise).
    public init(name: String = "scripted", script: [Step] = [], fallback: Step? = nil) {
        self.name = name
        state = Mutex(State(script: script, fallback: fallback))
    }

    public var requests: [ModelRequest] { state.withLock { $0.requests.map(\.0) } }
    public var tierIDs: [String] { state.withLock { $0.requests.map(\.1) } }
    public var callCount: Int { state.withLock { $0.requests.count } }
    /// The most calls that were ever in flight at once.
    public var maxConcurrentCalls: Int { state.withLock { $0.maxInFlight } }

    public func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse {
        let step = state.withLock { state -> Step? in
            state.requests.append((request, tier.id))
            state.inFlight += 1
            state.maxInFlight = max(state.maxInFlight, state.inFlight)
            return state.script.isEmpty ? state.fallback : state.script.removeFirst()
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        switch step {
        case .respond(let response)?:
            return response
        case .fail(let error)?:
            throw error
        case .hang?:
            while true { try await Task.sleep(for: .seconds(3600)) }
        case .delay(let duration, let response)?:
            try await Task.sleep(for: duration)
            return response
        case nil:
            throw ProviderError(.invalidRequest, "ScriptedProvider has no answer scripted for call \(callCount)")
        }
    }

    /// A plain text answer with the given usage.
    public static func text(_ text: String, input: Int = 10, output: Int = 5, reasoning: Int = 0) -> Step {
        .respond(
            ModelResponse(
                text: text, usage: TokenUsage(inputTokens: input, outputTokens: output, reasoningTokens: reasoning)))
    }
}
