import Foundation

/// A value that writes its own JSON straight into a ``StreamingJSONEncoder``'s bytes, skipping
/// `Codable`'s containers.
///
/// Why: across module boundaries every `encode(_:forKey:)` of a `Codable` value goes through
/// unspecialised generic code, with a runtime metadata lookup per call; for the records every
/// run writes (step records with their explained routing decisions, estimates) that was the
/// largest single cost of a server's run, ahead of the ledger. A conforming type must write
/// exactly the bytes its `encode(to:)` writes through the streaming encoder: the tests compare
/// the two for every conforming type.
package protocol JSONFastEncodable: Encodable {
    func writeJSON(to sink: JSONByteSink) throws
}

/// Writes one object's members: `{`, then `"key":value` pairs, then `}`.
package struct JSONObjectWriter {
    let sink: JSONByteSink
    private var empty = true

    package init(_ sink: JSONByteSink) {
        self.sink = sink
        sink.bytes.append(UInt8(ascii: "{"))
    }

    /// Writes `,"key":` (the comma from the second member on). Keys are ASCII identifiers.
    package mutating func key(_ key: StaticString) {
        if empty { empty = false } else { sink.bytes.append(UInt8(ascii: ",")) }
        sink.bytes.append(UInt8(ascii: "\""))
        sink.bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        sink.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    package mutating func string(_ key: StaticString, _ value: String) {
        self.key(key)
        sink.writeString(value)
    }

    package mutating func string(_ key: StaticString, ifPresent value: String?) {
        if let value { string(key, value) }
    }

    package mutating func integer(_ key: StaticString, _ value: some BinaryInteger) {
        self.key(key)
        sink.writeInteger(value)
    }

    package mutating func integer(_ key: StaticString, ifPresent value: Int?) {
        if let value { integer(key, value) }
    }

    package mutating func double(_ key: StaticString, _ value: Double) throws {
        self.key(key)
        try sink.writeFloatingPoint(value)
    }

    package mutating func bool(_ key: StaticString, _ value: Bool) {
        self.key(key)
        sink.writeBool(value)
    }

    package mutating func money(_ key: StaticString, _ value: Money) {
        self.key(key)
        sink.writeMoney(value)
    }

    /// Any other value, through the encoder's general path (which takes fast paths again inside).
    package mutating func value(_ key: StaticString, _ value: some Encodable) throws {
        self.key(key)
        try sink.writeValue(value, depth: sink.openCount)
    }

    package mutating func value(_ key: StaticString, ifPresent value: (some Encodable)?) throws {
        if let value { try self.value(key, value) }
    }

    /// A date, as the encoder's date strategy writes it.
    package mutating func date(_ key: StaticString, _ value: Date) throws {
        self.key(key)
        try sink.writeDate(value)
    }

    package mutating func date(_ key: StaticString, ifPresent value: Date?) throws {
        if let value { try date(key, value) }
    }

    /// An array, each element through the general path.
    package mutating func array(_ key: StaticString, _ elements: [some Encodable]) throws {
        self.key(key)
        try sink.writeArray(elements)
    }

    /// A member whose value is an object `body` writes.
    package mutating func object(_ key: StaticString, _ body: (inout JSONObjectWriter) throws -> Void) rethrows {
        self.key(key)
        var inner = JSONObjectWriter(sink)
        try body(&inner)
        inner.end()
    }

    /// `"key":{}`: how an enum case without values is encoded.
    package mutating func object(_ key: StaticString) {
        object(key) { _ in }
    }

    package func end() {
        sink.bytes.append(UInt8(ascii: "}"))
    }
}

extension JSONByteSink {
    /// `[` each element `]`, each through the general path.
    func writeArray<Element: Encodable>(_ elements: [Element]) throws {
        bytes.append(UInt8(ascii: "["))
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            try writeValue(element, depth: openCount)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}

// MARK: - The records every run writes

extension TokenUsage: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.integer("inputTokens", inputTokens)
        object.integer("outputTokens", outputTokens)
        object.integer("reasoningTokens", reasoningTokens)
        object.integer("cachedInputTokens", cachedInputTokens)
        object.integer("cacheWriteInputTokens", cacheWriteInputTokens)
        object.end()
    }
}

extension CallAttempt: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("tierID", tierID)
        object.string("outcome", outcome.rawValue)
        try object.value("usage", usage)
        object.money("cost", cost)
        try object.double("latency", latency)
        try object.value("error", ifPresent: error)
        object.end()
    }
}

extension StepRecord: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("key", key)
        object.string("stepID", stepID)
        object.string("kind", kind.rawValue)
        object.string("status", status.rawValue)
        object.string("tierID", ifPresent: tierID)
        object.string("tool", ifPresent: tool)
        try object.value("usage", usage)
        object.bool("usageIsEstimated", usageIsEstimated)
        object.money("cost", cost)
        try object.double("latency", latency)
        object.integer("attempts", attempts)
        try object.value("error", ifPresent: error)
        object.key("startedAt")
        try sink.writeDate(startedAt)
        try object.value("decision", ifPresent: decision)
        object.key("calls")
        try sink.writeArray(calls)
        object.integer("resultTokens", ifPresent: resultTokens)
        object.end()
    }
}

extension RoutingDecision: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("tierID", tierID)
        object.money("expectedCost", expectedCost)
        object.money("worstCaseCost", worstCaseCost)
        try object.double("predictedP95Seconds", predictedP95Seconds)
        object.integer("inputTokens", inputTokens)
        object.integer("expectedOutputTokens", expectedOutputTokens)
        if let spendingLimit { object.money("spendingLimit", spendingLimit) }
        object.key("rejected")
        try writeRejectedJSON(to: sink)
        object.end()
    }
}

extension TierRejection: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("tierID", tierID)
        object.string("reason", reason.rawValue)
        object.string("detail", detail)
        object.key("facts")
        try facts.writeJSON(to: sink)
        object.end()
    }
}

extension TierRejection.Facts: JSONFastEncodable {
    /// The common cases by hand, in the synthesized form (`{"case":{"label":value}}`); the
    /// rest (sets, nested states) through `Codable`.
    package func writeJSON(to sink: JSONByteSink) throws {
        switch self {
        case .jurisdiction, .capability, .unhealthy, .other:
            try sink.writeCodable(self)
            return
        default: break
        }
        var outer = JSONObjectWriter(sink)
        switch self {
        case .latency(let predictedP95, let need):
            try outer.object("latency") {
                try $0.double("predictedP95", predictedP95)
                try $0.value("need", need)
            }
        case .batchOnly(let need): try outer.object("batchOnly") { try $0.value("need", need) }
        case .depth(let tier, let needed):
            outer.object("depth") {
                $0.string("tier", tier.rawValue)
                $0.string("needed", needed.rawValue)
            }
        case .context(let window, let needed):
            outer.object("context") {
                $0.integer("window", window)
                $0.integer("needed", needed)
            }
        case .maxOutput(let limit, let asked):
            outer.object("maxOutput") {
                $0.integer("limit", limit)
                $0.integer("asked", asked)
            }
        case .busy(let limit): outer.object("busy") { $0.integer("limit", limit) }
        case .cost(let expected, let chosen):
            outer.object("cost") {
                $0.money("expected", expected)
                $0.money("chosen", chosen)
            }
        case .overBudget(let worstCase, let limit):
            outer.object("overBudget") {
                $0.money("worstCase", worstCase)
                $0.money("limit", limit)
            }
        case .failed(let error): outer.object("failed") { $0.string("error", error) }
        case .outputRejected(let problem): outer.object("outputRejected") { $0.string("problem", problem) }
        case .jurisdiction, .capability, .unhealthy, .other: break  // written above
        }
        outer.end()
    }
}

extension LatencyNeed: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        switch self {
        case .interactive: object.object("interactive")
        case .standard: object.object("standard")
        case .batch: object.object("batch")
        case .p95(let seconds): try object.object("p95") { try $0.double("seconds", seconds) }
        }
        object.end()
    }
}

extension EstimateStats: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        try object.value("expected", expected)
        try object.value("p50", p50)
        try object.value("p95", p95)
        try object.value("worst", worst)
        object.end()
    }
}

extension StepEstimate: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("path", path)
        object.string("kind", kind.rawValue)
        object.string("tierID", ifPresent: tierID)
        try object.value("calls", calls)
        try object.value("inputTokens", inputTokens)
        try object.value("outputTokens", outputTokens)
        try object.value("reasoningTokens", reasoningTokens)
        try object.value("cost", cost)
        object.string("confidence", confidence.rawValue)
        object.integer("outputTokensPerCallP95", ifPresent: outputTokensPerCallP95)
        object.end()
    }
}

extension RunEstimate: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("workflow", workflow)
        object.integer("samples", samples)
        object.integer("seed", seed)
        object.key("steps")
        try sink.writeArray(steps)
        try object.value("inputTokens", inputTokens)
        try object.value("outputTokens", outputTokens)
        try object.value("reasoningTokens", reasoningTokens)
        try object.value("totalTokens", totalTokens)
        try object.value("cost", cost)
        object.string("confidence", confidence.rawValue)
        object.end()
    }
}

extension JSONValue: JSONFastEncodable {
    /// Objects in the dictionary's own order, as `Dictionary`'s `Codable` conformance writes them.
    package func writeJSON(to sink: JSONByteSink) throws {
        switch self {
        case .null: sink.writeNull()
        case .bool(let value): sink.writeBool(value)
        case .number(let value): try sink.writeFloatingPoint(value)
        case .string(let value): sink.writeString(value)
        case .array(let items):
            sink.bytes.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { sink.bytes.append(UInt8(ascii: ",")) }
                try item.writeJSON(to: sink)
            }
            sink.bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            sink.bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, value) in members {
                if first { first = false } else { sink.bytes.append(UInt8(ascii: ",")) }
                sink.writeKey(key)
                try value.writeJSON(to: sink)
            }
            sink.bytes.append(UInt8(ascii: "}"))
        }
    }
}

extension RunTotals: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        try object.value("usage", usage)
        object.money("cost", cost)
        object.integer("modelCalls", modelCalls)
        object.integer("toolCalls", toolCalls)
        object.end()
    }
}

extension RunSummary: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("id", id.rawValue)
        object.string("workflow", workflow)
        object.string("status", status.rawValue)
        try object.value("input", input)
        try object.value("tags", tags)
        object.key("startedAt")
        try sink.writeDate(startedAt)
        if let endedAt {
            object.key("endedAt")
            try sink.writeDate(endedAt)
        }
        try object.value("totals", totals)
        try object.value("output", ifPresent: output)
        try object.value("error", ifPresent: error)
        object.end()
    }
}

extension JournalEntry: JSONFastEncodable {
    package func writeJSON(to sink: JSONByteSink) throws {
        var object = JSONObjectWriter(sink)
        object.string("runID", runID.rawValue)
        try object.value("record", record)
        try object.value("output", output)
        object.end()
    }
}
