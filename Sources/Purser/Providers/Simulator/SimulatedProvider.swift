/// A deterministic stand-in for real models: the embedded default provider.
///
/// The same request on the same tier always gets the same answer. Answers are readable
/// text whose length depends on the prompt, valid JSON when a schema is asked for, and tool
/// calls when tools are offered (one to three rounds, so agent loops really loop). Usage is
/// counted with the engine's token counter, so it is consistent with estimates. By default
/// it takes as long as the tier's latency model says (time to first token, then tokens per
/// second); ``Speed/instant`` skips the waiting for tests and benchmarks.
///
/// It is a simulator: nothing it says means anything.
public struct SimulatedProvider: ModelProvider {
    public enum Speed: Sendable, Hashable {
        /// Sleep as long as the tier's latency model says.
        case realTime
        /// Sleep that long divided by the factor (10 = ten times faster).
        case scaled(Double)
        /// Never sleep.
        case instant
    }

    public let name: String
    public var speed: Speed
    /// The simulator honours ``ModelRequest/timeout`` itself.
    public var enforcesTimeout: Bool { true }
    private let clock: any PurserClock
    private let counter: any TokenCounter

    public init(
        name: String = SimulatorCatalog.providerName, speed: Speed = .realTime, clock: any PurserClock = SystemClock(),
        tokenCounter: any TokenCounter = ApproximateTokenCounter()
    ) {
        self.name = name
        self.speed = speed
        self.clock = clock
        self.counter = tokenCounter
    }

    public func complete(_ request: ModelRequest, on tier: Tier) async throws -> ModelResponse {
        var random = SplitMix64(seed: Self.seed(request, tier))
        let inputTokens = counter.promptTokens(messages: request.messages, tools: request.tools)
        let budget = max(request.maxOutputTokens, 1)

        let reasoning = min(
            Self.reasoningTokens(effort: min(request.reasoningEffort, tier.reasoningDepth), random: &random),
            budget * 6 / 10)
        let visibleBudget = max(budget - reasoning, 1)

        var text = ""
        var toolCalls: [ToolCall] = []
        let roundsSoFar = request.messages.lazy.filter { $0.role == .assistant && !$0.toolCalls.isEmpty }.count
        let wantedRounds = request.tools.isEmpty ? 0 : 1 + Int(random.next() % 3)
        if roundsSoFar < wantedRounds {
            toolCalls = Self.toolCalls(request.tools, round: roundsSoFar, random: &random)
        } else if let schema = request.outputSchema {
            var generator = SchemaExampleGenerator(random: random, words: Self.words(from: request))
            text = generator.value(for: schema).compactJSON
        } else {
            let target = min(visibleBudget, 24 + Int(random.next() % 96) + inputTokens / 8)
            text = Self.prose(tokens: target, tier: tier, words: Self.words(from: request), counter: counter, random: &random)
        }
        var outputTokens = counter.count(text)
        for call in toolCalls { outputTokens += counter.count(call.name + call.arguments.compactJSON) + 3 }
        outputTokens = min(outputTokens, visibleBudget)

        let cached = Self.cachedPrefixTokens(request, counter: counter)
        let usage = TokenUsage(
            inputTokens: inputTokens, outputTokens: outputTokens + reasoning, reasoningTokens: reasoning,
            cachedInputTokens: cached)

        let ttft = tier.latency.timeToFirstTokenP50
            + (tier.latency.timeToFirstTokenP95 - tier.latency.timeToFirstTokenP50) * random.unit() * 1.2
        let seconds = ttft + Double(usage.outputTokens) / max(tier.latency.outputTokensPerSecond, 1)
        try await wait(seconds, timeout: request.timeout)
        return ModelResponse(text: text, toolCalls: toolCalls, usage: usage, timeToFirstToken: ttft)
    }

    /// Waits as long as the call takes at this speed, or gives up at the request's timeout
    /// (wall-clock time, so an instant simulator never times out).
    private func wait(_ seconds: Double, timeout: Duration?) async throws {
        let wall: Duration
        switch speed {
        case .instant:
            try Task.checkCancellation()
            return
        case .realTime:
            wall = .seconds(seconds)
        case .scaled(let factor):
            wall = .seconds(seconds / max(factor, 0.001))
        }
        if let timeout, wall > timeout {
            try await clock.sleep(for: timeout)
            throw ProviderError(.timeout, "the simulated call took longer than \(timeout.seconds) s")
        }
        try await clock.sleep(for: wall)
    }

    // MARK: Shape of an answer

    /// Providers cache repeated prompt prefixes of 1,024 tokens or more; in an agent loop
    /// everything before the latest tool results was sent before.
    static func cachedPrefixTokens(_ request: ModelRequest, counter: any TokenCounter) -> Int {
        guard let lastAssistant = request.messages.lastIndex(where: { $0.role == .assistant }) else { return 0 }
        let tokens = counter.promptTokens(messages: Array(request.messages[..<lastAssistant]), tools: [])
        return tokens >= 1024 ? tokens : 0
    }

    static func reasoningTokens(effort: ReasoningDepth, random: inout SplitMix64) -> Int {
        switch effort {
        case .none: 0
        case .low: 64 + Int(random.next() % 129)
        case .medium: 256 + Int(random.next() % 513)
        case .high: 1024 + Int(random.next() % 2049)
        }
    }

    static func toolCalls(_ tools: [ToolDefinition], round: Int, random: inout SplitMix64) -> [ToolCall] {
        let count = random.next() % 4 == 0 && tools.count > 1 ? 2 : 1
        var calls: [ToolCall] = []
        let start = Int(random.next() % UInt64(tools.count))
        for offset in 0..<count {
            let tool = tools[(start + offset) % tools.count]
            var generator = SchemaExampleGenerator(random: random, words: [])
            let arguments = generator.value(for: tool.parameters)
            random = generator.random
            calls.append(ToolCall(id: "call_\(round + 1)_\(offset + 1)", name: tool.name, arguments: arguments))
        }
        return calls
    }

    /// Words to echo back: those of more than three letters in the first kilobyte of the last
    /// user message, so answers read as if on topic. Scans raw bytes (ASCII letters and any
    /// non-ASCII byte count as letters): it runs on every simulated call.
    static func words(from request: ModelRequest) -> [Substring] {
        guard var prompt = request.messages.last(where: { $0.role == .user })?.content else { return [] }
        var ranges: [Range<Int>] = []
        let scanned = prompt.withUTF8 { bytes -> Int in
            let limit = min(bytes.count, 1024)
            var start = -1
            for offset in 0..<limit {
                let byte = bytes[offset]
                let letter = (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte >= 0x80
                if letter {
                    if start < 0 { start = offset }
                } else if start >= 0 {
                    if offset - start > 3 { ranges.append(start..<offset) }
                    start = -1
                    if ranges.count == 64 { return limit }
                }
            }
            if start >= 0, limit == bytes.count, limit - start > 3 { ranges.append(start..<limit) }
            return limit
        }
        _ = scanned
        let utf8 = prompt.utf8
        return ranges.map { range in
            let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
            let upper = utf8.index(lower, offsetBy: range.count)
            return prompt[lower..<upper]
        }
    }

    private static let filler: [[UInt8]] = [
        "the", "request", "was", "reviewed", "and", "the", "relevant", "details", "are", "summarised",
        "below", "with", "next", "steps", "for", "the", "team", "based", "on", "policy", "guidance",
        "customer", "account", "status", "clause", "risk", "recommend", "confirm", "evidence", "source",
    ].map { Array($0.utf8) }
    private static let sentenceStarts: [[UInt8]] = [
        "The", "We", "This", "Next", "Overall", "Policy", "Evidence", "Our", "Based", "Please",
    ].map { Array($0.utf8) }

    /// Readable filler of about `tokens` tokens, mixing in words from the prompt. Built as
    /// bytes and decoded once: it runs on every simulated call.
    static func prose(
        tokens: Int, tier: Tier, words: [Substring], counter: any TokenCounter, random: inout SplitMix64
    ) -> String {
        let targetBytes = tokens * 4
        var bytes: [UInt8] = []
        bytes.reserveCapacity(targetBytes + 32)
        bytes.append(UInt8(ascii: "["))
        bytes.append(contentsOf: tier.id.utf8)
        bytes.append(UInt8(ascii: "]"))
        while bytes.count < targetBytes - 1 {
            let roll = random.next()
            if roll % 11 == 0 {
                bytes.append(UInt8(ascii: "."))
                bytes.append(UInt8(ascii: " "))
                bytes.append(contentsOf: sentenceStarts[Int(roll / 11 % UInt64(sentenceStarts.count))])
            } else {
                bytes.append(UInt8(ascii: " "))
                if !words.isEmpty, roll % 3 == 0 {
                    bytes.append(contentsOf: words[Int(roll / 3 % UInt64(words.count))].utf8)
                } else {
                    bytes.append(contentsOf: filler[Int(roll % UInt64(filler.count))])
                }
            }
        }
        bytes.append(UInt8(ascii: "."))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// FNV-1a over everything that shapes the answer, so equal requests get equal answers.
    static func seed(_ request: ModelRequest, _ tier: Tier) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                for byte in bytes {
                    hash ^= UInt64(byte)
                    hash = hash &* 0x100_0000_01b3
                }
            }
            hash ^= 0xff
            hash = hash &* 0x100_0000_01b3
        }
        mix(tier.id)
        for message in request.messages {
            mix(message.role.rawValue)
            mix(message.content)
        }
        for tool in request.tools { mix(tool.name) }
        mix(String(request.maxOutputTokens))
        mix(request.reasoningEffort.rawValue)
        return hash
    }
}

