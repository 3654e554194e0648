import Synchronization

/// Why the other tiers lost, kept as compact facts (tier positions and numbers) until read.
///
/// Routing runs on every call over every tier; building each rejection's public form would
/// copy ids and sets per tier, so the router records positions and plain values, and this
/// renders them as ``TierRejection``s when a person or the API asks.
struct RoutingExplanation: Sendable, Hashable {
    private enum Storage: Sendable {
        case compact(tiers: [Tier], entries: [CompactRejection], request: RouteRequest, chosenCost: Money)
        case rendered([TierRejection])
    }

    /// The rejections' JSON, kept once written (see ``writeRejectionsJSON(to:)``).
    private final class WrittenJSON: Sendable {
        let bytes = Mutex<[UInt8]?>(nil)
    }

    private let storage: Storage
    private let written = WrittenJSON()

    init(tiers: [Tier], entries: [CompactRejection], request: RouteRequest, chosenCost: Money) {
        storage = .compact(tiers: tiers, entries: entries, request: request, chosenCost: chosenCost)
    }

    init(_ rejections: [TierRejection]) {
        storage = .rendered(rejections)
    }

    var count: Int {
        switch storage {
        case .rendered(let rejections): rejections.count
        case .compact(_, let entries, _, _): entries.count
        }
    }

    var rejections: [TierRejection] {
        switch storage {
        case .rendered(let rejections):
            return rejections
        case .compact(let tiers, let entries, let request, let chosenCost):
            return entries.map { entry in
                let tier = tiers[entry.index]
                return TierRejection(tierID: tier.id, entry.facts.rendered(tier: tier, request: request, chosenCost: chosenCost))
            }
        }
    }

    /// Writes the rejections as a JSON array, rendering them only the first time.
    ///
    /// Why: a finished step's record is written twice, in its journal entry and then in the
    /// run's document, and the rejections, each with its detail in words, were most of the cost
    /// of both (about 4% of a busy server's CPU). Keeping the bytes is safe because an
    /// explanation never changes: a decision given other rejections gets a new one. The bytes
    /// do not depend on the encoder's settings (they hold no dates).
    func writeRejectionsJSON(to sink: JSONByteSink) throws {
        if let bytes = written.bytes.withLock({ $0 }) {
            sink.bytes.append(contentsOf: bytes)
            return
        }
        let start = sink.bytes.count
        try sink.writeArray(rejections)
        let bytes = Array(sink.bytes[start...])
        written.bytes.withLock { $0 = bytes }
    }

    static func == (lhs: RoutingExplanation, rhs: RoutingExplanation) -> Bool {
        lhs.rejections == rhs.rejections
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(rejections)
    }
}

/// One tier's rejection as the router records it.
struct CompactRejection: Sendable {
    var index: Int
    var facts: CompactFacts
}

/// ``TierRejection/Facts`` without references: what the request and the tier already hold
/// (allowed jurisdictions, the latency need, the budget) is looked up when rendered.
enum CompactFacts: Sendable {
    case excluded
    case jurisdiction
    case capability(missing: UInt8)
    case depth(tier: ReasoningDepth, needed: ReasoningDepth)
    case context(window: Int, needed: Int)
    case maxOutput(limit: Int, asked: Int)
    case batchOnly
    case latency(predictedP95: Double)
    case unhealthy(CircuitState)
    case busy(limit: Int)
    case overBudget(worstCase: Money)
    case cost(expected: Money)

    func rendered(tier: Tier, request: RouteRequest, chosenCost: Money) -> TierRejection.Facts {
        let needs = request.needs
        switch self {
        case .excluded:
            return request.excluded[tier.id] ?? .other(reason: .failed, detail: "already tried by this step")
        case .jurisdiction:
            return .jurisdiction(tier: tier.jurisdiction, allowed: needs.jurisdictions ?? [])
        case .capability(let missing):
            return .capability(missing: Set(Capability.allCases.filter { missing & $0.routingBit != 0 }))
        case .depth(let tierDepth, let needed):
            return .depth(tier: tierDepth, needed: needed)
        case .context(let window, let needed):
            return .context(window: window, needed: needed)
        case .maxOutput(let limit, let asked):
            return .maxOutput(limit: limit, asked: asked)
        case .batchOnly:
            return .batchOnly(need: needs.latency)
        case .latency(let p95):
            return .latency(predictedP95: p95, need: needs.latency)
        case .unhealthy(let circuit):
            return .unhealthy(circuit)
        case .busy(let limit):
            return .busy(limit: limit)
        case .overBudget(let worst):
            return .overBudget(worstCase: worst, limit: request.spendingLimit ?? .zero)
        case .cost(let expected):
            return .cost(expected: expected, chosen: chosenCost)
        }
    }
}
