import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Purser
import PurserTokenizer
import Synchronization

/// A model provider over HTTP: OpenAI-compatible chat completions or Anthropic's Messages API,
/// streamed or not, on async-http-client.
///
/// What the provider reports is what is settled. When it reports no usage (a server that
/// leaves it out), the tokens are counted with the tokenizer and the call is flagged as
/// estimated; when a stream is cut part-way, the call fails with what was written so far
/// counted as billed, so the engine settles it rather than releasing it.
///
/// Failures map onto ``ProviderError`` kinds the engine's retry and fallback act on: 429 and
/// overload carry `Retry-After`; a context-length error is not retried on the same tier; an
/// authentication error is never retried and says which variable holds the key, never the key.
public struct HTTPModelProvider: ModelProvider {
    public let name: String
    public let settings: ProviderSettings
    private let client: HTTPClient
    private let environment: [String: String]
    private let countTokens: @Sendable (String) -> Int

    /// The longest error answer read (its message goes into the error).
    static let errorBodyLimit = 64 * 1024
    /// The longest whole answer read.
    static let answerLimit = 32 * 1024 * 1024

    /// - Parameters:
    ///   - name: the provider name tiers refer to (``Tier/provider``).
    ///   - client: ``defaultClient`` unless given one.
    ///   - environment: where API keys are read from (the process environment unless given).
    ///   - tokenCounter: counts tokens when the provider reports none (o200k_base unless given).
    public init(
        name: String, settings: ProviderSettings, client: HTTPClient = HTTPModelProvider.defaultClient,
        environment: [String: String] = ProcessInfo.processInfo.environment, tokenCounter: (any TokenCounter)? = nil
    ) {
        self.name = name
        self.settings = settings
        self.client = client
        self.environment = environment
        if let tokenCounter {
            countTokens = { tokenCounter.count($0) }
        } else {
            let tokenizer = try? BPETokenizer.bundled(.o200kBase)
            countTokens = { text in tokenizer?.count(text) ?? (text.utf8.count + 3) / 4 }
        }
    }

    /// The process-wide client providers share. Unlike async-http-client's shared client it has
    /// a connect timeout: without one, a refused connection is retried with backoff until the
    /// request's deadline, so a provider that is down would hold a call for its whole timeout
    /// instead of failing it over to the next tier at once. Never shut down (it lives as long as
    /// the process, like `HTTPClient.shared`).
    public static let defaultClient: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Calls with no timeout of their own give up after this long.
    static let defaultDeadline: Duration = .seconds(600)

    /// This provider gives up by itself when a call's time is up.
    public var enforcesTimeout: Bool { true }

    public func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse {
        let timeout = request.timeout ?? Self.defaultDeadline
        let call = try prepare(request, on: tier, timeout: timeout)
        let progress = StreamProgress()
        return try await withThrowingTaskGroup(of: ModelResponse.self) { group in
            group.addTask { try await send(call, request: request, progress: progress) }
            group.addTask {
                try await Task.sleep(for: timeout)
                // A stream that was still arriving has been billed for what it wrote.
                throw billed(
                    ProviderError(.timeout, "\(tier.id): no complete answer within \(timeout)"), request: request,
                    progress: progress.snapshot)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// One HTTP request, ready to send.
    struct PreparedCall: Sendable {
        var request: HTTPClientRequest
        var tierID: String
        var apiKey: String?
        /// async-http-client's deadline: the call's own, so a stuck connection is let go with it.
        var timeout: TimeAmount
    }

    func prepare(_ request: ModelRequest, on tier: Tier, timeout: Duration) throws(ProviderError) -> PreparedCall {
        guard var endpoint = tier.endpoint, !endpoint.isEmpty else {
            throw ProviderError(.invalidRequest, "tier \(tier.id) has no endpoint to call")
        }
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        var apiKey: String?
        if let variable = settings.apiKeyVariable {
            guard let key = environment[variable], !key.isEmpty else {
                throw ProviderError(
                    .authentication, "provider \(name) needs an API key in $\(variable), which is not set")
            }
            apiKey = key
        }
        let wire = settings.api.wire
        var http = HTTPClientRequest(url: endpoint + wire.path)
        http.method = .POST
        for (name, value) in wire.headers(apiKey: apiKey) { http.headers.add(name: name, value: value) }
        http.headers.add(name: "Content-Type", value: "application/json")
        http.headers.add(name: "Accept", value: settings.stream ? "text/event-stream" : "application/json")
        http.body = .bytes(ByteBuffer(string: wire.body(for: request, tier: tier, settings: settings).compactJSON))
        let (seconds, attoseconds) = timeout.components
        return PreparedCall(
            request: http, tierID: tier.id, apiKey: apiKey,
            timeout: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
    }

    private func send(_ call: PreparedCall, request: ModelRequest, progress: StreamProgress) async throws -> ModelResponse {
        let started = ContinuousClock.now
        let response: HTTPClientResponse
        do {
            response = try await client.execute(call.request, timeout: call.timeout)
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw transportError(error, call: call)
        }
        guard (200..<300).contains(response.status.code) else {
            throw await failure(response, call: call)
        }
        // A server that ignores `stream` answers with one JSON document: read it as such.
        let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
        if settings.stream, !contentType.hasPrefix("application/json") {
            return try await readStream(
                response, as: settings.api.wire, call: call, request: request, started: started, progress: progress)
        }
        let bytes: ByteBuffer
        do { bytes = try await response.body.collect(upTo: Self.answerLimit) } catch {
            throw transportError(error, call: call)
        }
        let json: JSONValue
        do { json = try JSONValue(parsing: String(buffer: bytes)) } catch {
            throw ProviderError(.malformedResponse, "\(call.tierID) answered with something that is not JSON: \(error)")
        }
        return finished(try settings.api.wire.answer(from: json), request: request, timeToFirstToken: nil)
    }

    private func readStream<Wire: WireProtocol>(
        _ response: HTTPClientResponse, as wire: Wire.Type, call: PreparedCall, request: ModelRequest,
        started: ContinuousClock.Instant, progress: StreamProgress
    ) async throws -> ModelResponse {
        var parser = ServerSentEventParser()
        var stream = Wire.Stream()
        var firstToken: Double?
        do {
            for try await chunk in response.body {
                for event in parser.feed(chunk.readableBytesView) { try stream.feed(event) }
                if firstToken == nil, stream.hasContent { firstToken = (ContinuousClock.now - started).seconds }
                // The stream's state, not its text: the copy shares its strings, so recording
                // after every chunk stays cheap however long the answer grows.
                progress.record(stream)
            }
        } catch let error as ProviderError {
            throw error
        } catch {
            if error is CancellationError || Task.isCancelled { throw CancellationError() }
            throw billed(transportError(error, call: call), request: request, progress: stream)
        }
        guard stream.done else {
            let error = ProviderError(.connection, "\(call.tierID): the stream ended before the answer was complete")
            throw billed(error, request: request, progress: stream)
        }
        return finished(try stream.finish(), request: request, timeToFirstToken: firstToken)
    }

    /// A stream that broke off: what the model wrote may already be billed, so the error
    /// carries it (counted by the tokenizer, with the prompt's tokens as reported or counted).
    /// Nothing arrived, nothing billed.
    private func billed(_ error: ProviderError, request: ModelRequest, progress: (any StreamAssembler)?) -> ProviderError {
        guard let progress else { return error }
        let written = progress.textSoFar
        guard !written.isEmpty || progress.reportedInputTokens != nil else { return error }
        var usage = progress.reportedInputTokens ?? TokenUsage(inputTokens: promptTokens(request))
        usage.outputTokens = written.isEmpty ? 0 : countTokens(written)
        var error = error
        error.billedUsage = usage
        error.message += " (\(usage.inputTokens) input and \(usage.outputTokens) output tokens counted as billed)"
        return error
    }

    private func finished(_ answer: ProviderAnswer, request: ModelRequest, timeToFirstToken: Double?) -> ModelResponse {
        if let usage = answer.usage {
            return ModelResponse(
                text: answer.text, toolCalls: answer.toolCalls, usage: usage, timeToFirstToken: timeToFirstToken)
        }
        let written = answer.text + answer.toolCalls.map { $0.name + $0.arguments.compactJSON }.joined()
        let counted = TokenUsage(inputTokens: promptTokens(request), outputTokens: countTokens(written))
        return ModelResponse(
            text: answer.text, toolCalls: answer.toolCalls, usage: counted, usageIsEstimated: true,
            timeToFirstToken: timeToFirstToken)
    }

    /// The prompt's tokens as the tokenizer counts them (messages and tool definitions).
    private func promptTokens(_ request: ModelRequest) -> Int {
        let messages = request.messages.map { $0.content + $0.toolCalls.map { $0.name + $0.arguments.compactJSON }.joined() }
        let tools = request.tools.map { $0.name + $0.description + $0.parameters.jsonValue.compactJSON }
        return countTokens((messages + tools).joined(separator: "\n"))
    }

    /// A refused call (status outside 2xx) as the kind of error it means.
    private func failure(_ response: HTTPClientResponse, call: PreparedCall) async -> ProviderError {
        let status = Int(response.status.code)
        let retryAfter = HTTPFailure.retryAfter(response.headers.first(name: "retry-after"))
        let body = (try? await response.body.collect(upTo: Self.errorBodyLimit)).map { String(buffer: $0) } ?? ""
        var error = settings.api.wire.failure(status: status, body: body, retryAfter: retryAfter)
        if error.kind == .authentication {
            // Not the provider's words: an authentication message may quote part of the key.
            let variable = settings.apiKeyVariable.map { " in $\($0)" } ?? ""
            error.message = "HTTP \(status): the API key\(variable) was refused (provider \(name))"
        }
        error.message = "\(call.tierID): " + HTTPFailure.redacting(call.apiKey, in: error.message)
        return error
    }

    /// A failure below HTTP (refused connection, reset, read timeout) as a ``ProviderError``.
    private func transportError(_ error: any Error, call: PreparedCall) -> ProviderError {
        if let error = error as? ProviderError { return error }
        let text = HTTPFailure.redacting(call.apiKey, in: String(describing: error))
        if let client = error as? HTTPClientError, client == .deadlineExceeded || client == .readTimeout {
            return ProviderError(.timeout, "\(call.tierID): \(text)")
        }
        return ProviderError(.connection, "\(call.tierID): \(text)")
    }
}

/// What a stream has delivered so far, shared with the call's timer: a call that times out
/// mid-stream is charged for what arrived.
final class StreamProgress: Sendable {
    private let state = Mutex<(any StreamAssembler)?>(nil)

    func record(_ stream: some StreamAssembler) { state.withLock { $0 = stream } }

    var snapshot: (any StreamAssembler)? { state.withLock { $0 } }
}
