/// Something that can answer a ``ModelRequest`` on a ``Tier``: the simulator, an
/// OpenAI-compatible endpoint, Anthropic's Messages API, or your own.
///
/// Providers report usage exactly as billed; the engine turns it into money with the
/// tier's ``Pricing``. Throw a ``ProviderError`` so the engine knows whether a retry
/// can help.
///
/// ## Usage
///
/// ```swift
/// struct EchoProvider: ModelProvider {
///     let name = "echo"
///     func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse {
///         let text = request.messages.last?.content ?? ""
///         return ModelResponse(
///             text: text,
///             usage: TokenUsage(inputTokens: text.utf8.count / 4, outputTokens: text.utf8.count / 4))
///     }
/// }
///
/// let engine = Engine(tiers: myTiers, providers: [EchoProvider()])
/// ```
public protocol ModelProvider: Sendable {
    /// Matches ``Tier/provider`` of the tiers this provider serves.
    var name: String { get }

    /// Sends one request to `tier`'s model. Cancellation must stop the call promptly.
    func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse

    /// True when the provider gives up by itself after ``ModelRequest/timeout`` (as an HTTP client
    /// with a deadline does). The engine then calls it directly; otherwise it races each call
    /// against a timer in a child task, which costs tens of microseconds a call.
    var enforcesTimeout: Bool { get }
}

extension ModelProvider {
    public var enforcesTimeout: Bool { false }
}

/// A model call that failed, saying whether trying again can help.
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case timeout, rateLimited, overloaded, serverError, contextLengthExceeded, authentication,
            invalidRequest, malformedResponse, connection
    }

    public var kind: Kind
    public var message: String
    /// Seconds the provider asked us to wait (`Retry-After`).
    public var retryAfter: Double?
    /// What the provider says it charged for the failed call (a stream cut off part-way, say);
    /// the engine settles it instead of releasing the reservation.
    public var billedUsage: TokenUsage?

    public init(_ kind: Kind, _ message: String, retryAfter: Double? = nil, billedUsage: TokenUsage? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
        self.billedUsage = billedUsage
    }

    /// Whether the same call on the same tier may succeed later.
    public var isRetryable: Bool {
        switch kind {
        case .timeout, .rateLimited, .overloaded, .serverError, .connection, .malformedResponse: true
        case .contextLengthExceeded, .authentication, .invalidRequest: false
        }
    }

    public var description: String { "\(kind.rawValue): \(message)" }
}
