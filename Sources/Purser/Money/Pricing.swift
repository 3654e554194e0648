/// What a tier charges, per million tokens.
///
/// Reasoning tokens are billed at the output price unless a tier prices them apart.
public struct Pricing: Sendable, Hashable, Codable {
    public var inputPerMillion: Money
    public var cachedInputPerMillion: Money
    public var outputPerMillion: Money
    public var reasoningPerMillion: Money?
    /// Input written to a prompt cache (Anthropic bills it at 1.25× input); `nil` is the input price.
    public var cacheWriteInputPerMillion: Money?

    public init(
        inputPerMillion: Money, cachedInputPerMillion: Money? = nil, outputPerMillion: Money,
        reasoningPerMillion: Money? = nil, cacheWriteInputPerMillion: Money? = nil
    ) {
        self.cacheWriteInputPerMillion = cacheWriteInputPerMillion
        self.inputPerMillion = inputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion ?? inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.reasoningPerMillion = reasoningPerMillion
    }

    /// Free per token: a local model, or a tier billed some other way.
    public static let free = Pricing(inputPerMillion: .zero, outputPerMillion: .zero)

    /// The charge for `usage`, exact and rounded up to the next micro-unit once per call.
    ///
    /// Cached and cache-write input tokens are part of `usage.inputTokens` and charged at their
    /// prices; reasoning tokens are part of `usage.outputTokens` and charged at the reasoning price.
    public func cost(of usage: TokenUsage) -> Money {
        let input = max(usage.inputTokens, 0)
        let cached = min(max(usage.cachedInputTokens, 0), input)
        let cacheWrites = min(max(usage.cacheWriteInputTokens, 0), input - cached)
        let uncached = input - cached - cacheWrites
        let reasoning = min(max(usage.reasoningTokens, 0), max(usage.outputTokens, 0))
        let visibleOutput = max(usage.outputTokens, 0) - reasoning
        let reasoningPrice = reasoningPerMillion ?? outputPerMillion
        var numerator: Int64 = 0
        var overflow = false
        func add(_ tokens: Int, _ price: Money) {
            let (product, productOverflow) = Int64(tokens).multipliedReportingOverflow(by: price.micros)
            let (sum, sumOverflow) = numerator.addingReportingOverflow(product)
            overflow = overflow || productOverflow || sumOverflow
            numerator = sum
        }
        add(uncached, inputPerMillion)
        add(cached, cachedInputPerMillion)
        add(cacheWrites, cacheWriteInputPerMillion ?? inputPerMillion)
        add(visibleOutput, outputPerMillion)
        add(reasoning, reasoningPrice)
        if overflow { return Money(micros: .max) }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: 1_000_000)
        return Money(micros: quotient + (remainder > 0 ? 1 : 0))
    }

    /// The most a call can cost: every input token at the dearer of the input and cache-write
    /// prices, every output token at the dearer of the output and reasoning prices.
    public func worstCaseCost(inputTokens: Int, maxOutputTokens: Int) -> Money {
        let dearestInput = max(inputPerMillion, cacheWriteInputPerMillion ?? inputPerMillion)
        let dearestOutput = max(outputPerMillion, reasoningPerMillion ?? outputPerMillion)
        let worst = Pricing(inputPerMillion: dearestInput, outputPerMillion: dearestOutput)
        return worst.cost(of: TokenUsage(inputTokens: inputTokens, outputTokens: maxOutputTokens))
    }
}
