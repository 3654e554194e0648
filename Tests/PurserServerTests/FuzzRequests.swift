import Foundation
import Purser

/// The fuzz draws from the core's SplitMix64, whose sequence never depends on the toolchain, so
/// a failure reported with its seed and request number is generated again byte for byte.
extension SplitMix64 {
    /// A number in `0..<count` (the modulo bias is irrelevant here, and stable).
    mutating func below(_ count: Int) -> Int { Int(next() % UInt64(max(count, 1))) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
}

/// One generated request: its bytes, how to send it, and what the answer may be.
struct FuzzRequest: Sendable {
    enum Transport: Sendable {
        /// Well-framed: sent on a kept-alive connection; it must get an answer.
        case keepAlive
        /// Sent alone on a fresh connection whose write side is then shut, read to the end.
        case fresh(FramingRule)
    }

    /// What a request sent on a fresh connection may get.
    enum FramingRule: Sendable {
        /// Broken framing: refused (400, or 413/414/431 for sizes) or the connection closed,
        /// never processed (these requests would be answered 422 if they were).
        case reject
        /// Dubious but not broken (obs-fold, a bare LF, absolute-form, CONNECT): any answer
        /// in 200..<500, or the connection closed.
        case answerOrClose
        /// Valid HTTP this client cannot read on a kept-alive connection (HEAD, 100-continue,
        /// HTTP/1.0): it must be answered, 200..<500.
        case mustAnswer
    }

    var index: Int
    var category: String
    /// Method and target (shortened), and what the generator did, for failure messages.
    var summary: String
    var bytes: [UInt8]
    var transport: Transport = .keepAlive
    /// The statuses the generator knows the answer must have; `nil`: any of 200..<500.
    var expected: Set<Int>?
    /// A `POST /v1/runs`: a 2xx answer names a new (or idempotently found) run.
    var mayStartRun = false
    /// A `PUT`/`DELETE` of a budget: a 200 answer is one budget change.
    var mayChangeBudget = false
    /// A valid run awaited with `wait=true`: the answer's status must be `succeeded`.
    var mustSucceed = false
    /// The request asked for `Connection: close`.
    var closes = false
}

/// Generates the fuzz requests: request `index` depends only on the seed and the index.
struct FuzzPlan: Sendable {
    struct Tokens: Sendable {
        var service: String
        var finance: String
        var admin: String
    }

    let seed: UInt64
    let tokens: Tokens
    /// The example input of `executive-brief`, compact JSON.
    let exampleInput: String
    let bodyLimit: Int

    /// Budget scopes the fuzz may change: none of them applies to any run it starts (runs are
    /// of `executive-brief`, tagged `team=fuzz` at most), so no budget it sets can refuse,
    /// pause or stop a run.
    static let fuzzScopes = (0..<6).map { "workflow:fuzz-wf-\($0)" } + (0..<6).map { "tag:fuzzcap=\($0)" }
    /// Scopes the fuzz must never change: the baseline budget and scopes that apply to its runs.
    static let protectedScopes = ["global", "run", "workflow:executive-brief", "tag:team=fuzz"]

    func request(_ index: Int) -> FuzzRequest {
        var generator = FuzzGenerator(plan: self, index: index)
        return generator.make()
    }
}

/// Who a request claims to be.
enum Caller: Sendable, Equatable {
    case none, service, finance, admin
}

/// The roles a route lets in (`open`: no token needed).
enum Need: Sendable {
    case open, read, runs, budgets, spend

    func allows(_ caller: Caller) -> Bool {
        switch (self, caller) {
        case (.open, _): true
        case (_, .none): false
        case (_, .admin): true
        case (.read, _): true
        case (.runs, .service): true
        case (.budgets, .finance), (.spend, .finance): true
        default: false
        }
    }

    /// The status a caller gets before anything else is looked at: 401, 403 or `nil`.
    func refusal(_ caller: Caller) -> Int? {
        if allows(caller) { return nil }
        return caller == .none ? 401 : 403
    }
}

private struct FuzzGenerator {
    let plan: FuzzPlan
    let index: Int
    var rng: SplitMix64

    init(plan: FuzzPlan, index: Int) {
        self.plan = plan
        self.index = index
        rng = SplitMix64(seed: plan.seed ^ (UInt64(index) &* 0xD1B5_4A32_D192_ED03))
        _ = rng.next()
    }

    // MARK: Dispatch

    mutating func make() -> FuzzRequest {
        if index % 97 == 13 { return framing(index / 97) }
        if index % 1733 == 5 { return oversized(index / 1733) }
        let categories: [(Int, (inout FuzzGenerator) -> FuzzRequest)] = [
            (6, { $0.randomBytes() }), (18, { $0.garbledJSON() }), (1, { $0.deepNesting() }),
            (6, { $0.hugeNumbers() }), (5, { $0.badUTF8() }), (4, { $0.unknownFields() }), (12, { $0.wrongTypes() }),
            (3, { $0.emptyBodies() }), (4, { $0.contentTypes() }), (6, { $0.wrongMethods() }), (8, { $0.randomPaths() }),
            (10, { $0.queryStrings() }), (8, { $0.headers() }), (3, { $0.validRuns() }), (2, { $0.validBudgets() }),
            (2, { $0.chunkedBodies() }), (3, { $0.reads() }),
        ]
        var roll = rng.below(categories.reduce(0) { $0 + $1.0 })
        for (weight, make) in categories {
            if roll < weight { return make(&self) }
            roll -= weight
        }
        return reads()
    }

    // MARK: Building blocks

    static func quote(_ text: String) -> String { JSONValue.string(text).compactJSON }

    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { "\(quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    func token(_ caller: Caller) -> String? {
        switch caller {
        case .none: nil
        case .service: plan.tokens.service
        case .finance: plan.tokens.finance
        case .admin: plan.tokens.admin
        }
    }

    func auth(_ caller: Caller) -> [(String, [UInt8])] {
        token(caller).map { [("Authorization", Array("Bearer \($0)".utf8))] } ?? []
    }

    static let json: [(String, [UInt8])] = [("Content-Type", Array("application/json".utf8))]

    /// A request's bytes. `body` gets a Content-Length unless `chunks` sends it chunked.
    static func http(
        _ method: String, _ target: String, _ headers: [(String, [UInt8])] = [], body: [UInt8]? = nil,
        chunks: [Int]? = nil, host: Bool = true, version: String = "HTTP/1.1"
    ) -> [UInt8] {
        var out = Array("\(method) \(target) \(version)\r\n".utf8)
        if host { out += Array("Host: purser\r\n".utf8) }
        for (name, value) in headers { out += Array(name.utf8) + Array(": ".utf8) + value + [13, 10] }
        guard let body else { return out + [13, 10] }
        guard let chunks else { return out + Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body }
        out += Array("Transfer-Encoding: chunked\r\n\r\n".utf8)
        var offset = 0
        var sizes = chunks.makeIterator()
        while offset < body.count {
            let size = min(max(1, sizes.next() ?? body.count), body.count - offset)
            out += Array(String(size, radix: 16).utf8) + [13, 10] + body[offset..<(offset + size)] + [13, 10]
            offset += size
        }
        return out + Array("0\r\n\r\n".utf8)
    }

    func build(
        _ category: String, _ method: String, _ target: String, caller: Caller, body: [UInt8]? = nil,
        headers extra: [(String, [UInt8])]? = nil, expected: Set<Int>? = nil, note: String = ""
    ) -> FuzzRequest {
        let headers = auth(caller) + (extra ?? (body == nil ? [] : Self.json))
        let path = target.count > 120 ? String(target.prefix(120)) + "…(\(target.utf8.count) bytes)" : target
        let bodyNote = body.map { " body \(Self.preview($0))" } ?? ""
        return FuzzRequest(
            index: index, category: category, summary: "\(method) \(path) as \(caller)\(note.isEmpty ? "" : " [\(note)]")\(bodyNote)",
            bytes: Self.http(method, target, headers, body: body), expected: expected,
            mayStartRun: method == "POST" && Self.pathOnly(target) == "/v1/runs",
            mayChangeBudget: (method == "PUT" || method == "DELETE") && Self.pathOnly(target).hasPrefix("/v1/budgets/"))
    }

    static func pathOnly(_ target: String) -> String {
        String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    static func preview(_ body: [UInt8]) -> String {
        let shown = body.prefix(160).map { byte -> String in
            (0x20..<0x7F).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
        }.joined()
        return body.count > 160 ? "\(shown)…(\(body.count) bytes)" : shown
    }

    var findings: String { plan.exampleInput }

    /// A valid `POST /v1/runs` body's members (an `executive-brief` run).
    func runMembers(tags: Bool = false, key: Bool = false, budget: String? = nil) -> [(String, String)] {
        var members: [(String, String)] = [("workflow", Self.quote("executive-brief")), ("input", plan.exampleInput)]
        if tags { members.append(("tags", #"{"team":"fuzz"}"#)) }
        if key { members.append(("idempotencyKey", Self.quote("fuzz-\(plan.seed)-\(index)"))) }
        if let budget { members.append(("budget", budget)) }
        return members
    }

    static let budgetMembers: [(String, String)] = [
        ("period", #""month""#), ("limit", #""250.00""#), ("tokenLimit", "100000"), ("softThresholdPercent", "80"), ("policy", #""stop""#),
        ("admission", #""p95""#), ("reason", #""fuzz""#),
    ]

    var estimateMembers: [(String, String)] { [("input", plan.exampleInput), ("samples", "20")] }

    mutating func fuzzScope() -> String { rng.pick(FuzzPlan.fuzzScopes) }

    /// A body route with a caller that passes its role check.
    enum BodyRoute: CaseIterable {
        case run, budget, estimate
    }

    mutating func target(_ route: BodyRoute, protected: Bool = false) -> (method: String, path: String, caller: Caller) {
        switch route {
        case .run: ("POST", "/v1/runs", rng.chance(80) ? .service : .admin)
        case .budget:
            ("PUT", "/v1/budgets/\(protected ? rng.pick(FuzzPlan.protectedScopes) : fuzzScope())", rng.chance(80) ? .finance : .admin)
        case .estimate: ("POST", "/v1/workflows/executive-brief/estimate", rng.chance(80) ? .service : .admin)
        }
    }

    func members(_ route: BodyRoute) -> [(String, String)] {
        switch route {
        case .run: runMembers()
        case .budget: Self.budgetMembers
        case .estimate: estimateMembers
        }
    }

    // MARK: Categories

    mutating func randomBytes() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route, protected: rng.chance(30))
        var body = rng.bytes(1 + rng.below(rng.chance(10) ? 4000 : 300))
        if rng.chance(30) { body[0] = UInt8(ascii: "{") }
        // Random bytes are never a valid run or budget; an estimate of `{}` would be valid.
        return build("random bytes", method, path, caller: caller, body: body, expected: route == .estimate ? nil : [400])
    }

    static let punctuation = Array(#"{}[]":,\ -+.0123456789eEtrufalsn"#.utf8)
    static let nastyTokens = [
        "1e400", "-1e400", "NaN", "Infinity", "-0", "123456789012345678901234567890", "null", "\"\\ud800\"", "[]", "{}",
        "true", "\"\"", "1e-400", "0.1e1", "9007199254740993",
    ]

    mutating func mutate(_ text: String) -> [UInt8] {
        var bytes = Array(text.utf8)
        for _ in 0..<(1 + rng.below(4)) {
            guard !bytes.isEmpty else {
                bytes = [rng.pick(Self.punctuation)]
                continue
            }
            let at = rng.below(bytes.count)
            switch rng.below(9) {
            case 0: bytes[at] ^= UInt8(1) << UInt8(rng.below(8))
            case 1: bytes.remove(at: at)
            case 2: bytes.insert(rng.pick(Self.punctuation), at: at)
            case 3: bytes.removeSubrange(at...)
            case 4:
                let end = min(bytes.count, at + 1 + rng.below(40))
                bytes.insert(contentsOf: bytes[at..<end], at: rng.below(bytes.count))
            case 5: bytes[at] = rng.pick(Self.punctuation)
            case 6: bytes.insert(contentsOf: Array(rng.pick(Self.nastyTokens).utf8), at: at)
            case 7: bytes.swapAt(at, rng.below(bytes.count))
            default: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
            }
        }
        return bytes
    }

    mutating func garbledJSON() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let target = target(route)
        var path = target.path
        var members = members(route)
        if route == .run {
            members = runMembers(tags: rng.chance(30), key: rng.chance(30), budget: rng.chance(30) ? #"{"limit":"5.00","policy":"stop"}"# : nil)
            if rng.chance(15) { path += "?wait=true" }
        }
        let body = mutate(Self.object(members))
        return build("garbled JSON", target.method, path, caller: target.caller, body: body)
    }

    mutating func deepNesting() -> FuzzRequest {
        let depth = 10_000
        let nested: String
        switch rng.below(5) {
        case 0: nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        case 1: nested = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
        case 2: nested = String(repeating: #"[{"a":"#, count: depth / 2) + "0" + String(repeating: "}]", count: depth / 2)
        case 3: nested = String(repeating: "[", count: depth)
        default: nested = String(repeating: #"{"a":["#, count: depth / 2) + String(repeating: "]}", count: depth / 2)
        }
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route, protected: rng.chance(20))
        let body: String
        switch (route, rng.below(3)) {
        case (_, 0): body = nested
        case (.run, 1): body = Self.object([("workflow", #""executive-brief""#), ("input", nested)])
        case (.run, _): body = Self.object(runMembers() + [("tags", nested)])
        case (.budget, _): body = Self.object([("period", #""month""#), ("limit", nested)])
        case (.estimate, _): body = Self.object([("input", nested)])
        }
        return build("deep nesting", method, path, caller: caller, body: Array(body.utf8), expected: [400], note: "10,000 levels")
    }

    /// Numbers JSON cannot hold, or that no field takes: `valid` says whether the JSON parses.
    static let numbers: [(text: String, parses: Bool)] = [
        ("1e400", false), ("-1e400", false), ("123456789012345678901234567890", true), ("-0", true), ("-0.0", true),
        ("NaN", false), ("Infinity", false), ("-Infinity", false), ("1e-400", true), ("9007199254740993", true),
        ("00", false), ("01", false), ("-", false), ("1.", false), (".5", false), ("1e", false), ("0x10", false),
        ("+1", false), ("9223372036854775807", true), ("18446744073709551616", true), ("-9223372036854775809", true),
        ("1E+308", true), ("4.9e-324", true), ("1.7976931348623157e309", false),
    ]

    /// Amounts for `limit` fields, and whether they are a valid limit (more than zero, at most
    /// a billion, at most six decimals).
    static let amounts: [(text: String, valid: Bool)] = [
        ("9223372036854.999999", false), ("9223372036854.775808", false), ("9223372036854.775807", false),
        ("-9223372036854.999999", false), ("-9223372036854.775808", false), ("99999999999999999999", false),
        ("1000000000.000001", false), ("1000000000", true), ("0.0000001", false), ("0", false), ("-0", false),
        ("-1", false), ("+1", true), (" 1.00 ", true), (".5", true), ("5.", true), ("1e3", false), ("NaN", false),
        ("1,00", false), ("\u{661}\u{662}", false), ("", false), (".", false), ("--1", false), ("0.000001", true),
        ("9223372036854", false), ("922337203685.4775807", false),
    ]

    mutating func hugeNumbers() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route)
        if route != .estimate, rng.chance(40) {
            // Money: always a string, parsed exactly.
            let amount = rng.pick(Self.amounts)
            var members: [(String, String)]
            if route == .budget {
                members = Self.budgetMembers.filter { $0.0 != "limit" } + [("limit", Self.quote(amount.text))]
            } else {
                members = runMembers(budget: Self.object([("limit", Self.quote(amount.text)), ("policy", #""stop""#)]))
            }
            // A valid amount makes a valid request: a budget change, or a run (accounted for).
            return build(
                "huge numbers", method, path, caller: caller, body: Array(Self.object(members).utf8),
                expected: amount.valid ? nil : [400], note: "limit \(amount.text)")
        }
        let number = rng.pick(Self.numbers)
        let field: String
        var members: [(String, String)]
        switch route {
        case .run:
            field = rng.pick(["budget.tokenLimit", "workflow", "input", "input.findings", "tags.team", "idempotencyKey"])
            members = runMembers()
            switch field {
            case "budget.tokenLimit": members.append(("budget", Self.object([("tokenLimit", number.text)])))
            case "input": members[1] = ("input", number.text)
            case "input.findings": members[1] = ("input", Self.object([("findings", number.text), ("audience", #""x""#)]))
            case "tags.team": members.append(("tags", Self.object([("team", number.text)])))
            default: members = members.filter { $0.0 != field } + [(field, number.text)]
            }
        case .budget:
            field = rng.pick(["tokenLimit", "softThresholdPercent", "limit", "period", "reason"])
            members = Self.budgetMembers.filter { $0.0 != field } + [(field, number.text)]
        case .estimate:
            field = rng.pick(["samples", "input"])
            members = estimateMembers.filter { $0.0 != field } + [(field, number.text)]
        }
        // Every field here is refused a number like these: no whole number among them is in
        // a field's range (-0 is 0, out of every range), and the rest are not JSON.
        return build(
            "huge numbers", method, path, caller: caller, body: Array(Self.object(members).utf8), expected: [400],
            note: "\(field) = \(number.text)")
    }

    static let badBytes: [[UInt8]] = [
        [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x80],
        [0xF4, 0x90, 0x80, 0x80], [0xFE, 0xFF], [0xC3], [0xED, 0xBF, 0xBF],
    ]
    static let badEscapes = [#"\ud800"#, #"\udc00"#, #"\ud800\u0041"#, #"\uD83D"#, #"\u00"#, #"\uZZZZ"#, #"\x41"#, #"\'"#, #"\u0000\ud800x"#]

    mutating func badUTF8() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route, protected: rng.chance(20))
        var bytes = Array(Self.object(members(route)).utf8)
        // Inside a string value: after an opening quote that follows a ':'.
        let quotes = bytes.indices.filter { $0 > 0 && bytes[$0] == UInt8(ascii: "\"") && bytes[$0 - 1] == UInt8(ascii: ":") }
        let at = quotes.isEmpty ? 1 : rng.pick(quotes) + 1
        let note: String
        if rng.chance(60) {
            let bad = rng.pick(Self.badBytes)
            bytes.insert(contentsOf: bad, at: at)
            note = "bytes " + bad.map { String(format: "%02x", $0) }.joined(separator: " ")
        } else {
            let escape = rng.pick(Self.badEscapes)
            bytes.insert(contentsOf: Array(escape.utf8), at: at)
            note = "escape \(escape)"
        }
        return build("bad UTF-8", method, path, caller: caller, body: bytes, expected: [400], note: note)
    }

    mutating func unknownFields() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route)
        var members = members(route)
        let extra = rng.pick([
            ("wokflow", #""x""#), ("", "1"), ("extra", "null"), ("Workflow", #""executive-brief""#), ("__proto__", "{}"),
            ("id", "1"), ("Limit", #""1.00""#), ("sample", "5"), ("\u{0}", "0"), ("é", "[]"), ("tokens", "1"), ("soft", "80"),
            ("limits", #""1.00""#),
        ])
        var note = "unknown field '\(extra.0)'"
        switch rng.below(3) {
        case 0:
            members.insert(extra, at: rng.below(members.count + 1))
        case 1 where route == .run:
            members.append(("budget", Self.object([("limit", #""5.00""#), extra])))
            note = "unknown field '\(extra.0)' in budget"
        case _ where route != .budget:
            let input = String(plan.exampleInput.dropLast()) + ",\(Self.quote(extra.0)):\(extra.1)}"
            members = members.map { $0.0 == "input" ? ("input", input) : $0 }
            note = "unknown property '\(extra.0)' in input"
        default:
            members.append(extra)
        }
        return build("unknown fields", method, path, caller: caller, body: Array(Self.object(members).utf8), expected: [400], note: note)
    }

    /// Values of the wrong type (or out of range) for each field, all refused with 400.
    static let wrongRunValues: [String: [String]] = [
        "workflow": ["null", "true", "1", "[]", "{}", #"["executive-brief"]"#, #"{"name":"executive-brief"}"#],
        "input": ["null", #""x""#, "1", "[]", "true", "{}", #"{"findings":1,"audience":"x"}"#, #"{"findings":"x"}"#],
        "tags": [
            #""team""#, "1", "true", "[]", #"["a"]"#, #"{"team":1}"#, #"{"team":null}"#, #"{"team":{}}"#, #"{"":"x"}"#,
            #"{"k":""}"#, "{\"k\":\"\(String(repeating: "v", count: 201))\"}", "{\"\(String(repeating: "k", count: 101))\":\"v\"}",
        ],
        "idempotencyKey": ["1", "true", "[]", "{}", #""""#, "\"\(String(repeating: "k", count: 201))\""],
        "budget": [
            #""5.00""#, "5", "true", "[]", "{}", #"{"limit":5}"#, #"{"limit":"5.00","policy":"pause"}"#,
            #"{"limit":"1","policy":"weird"}"#, #"{"tokenLimit":"100"}"#, #"{"tokenLimit":0}"#, #"{"tokenLimit":1.5}"#, #"{"limit":"0"}"#,
            #"{"limit":"-1"}"#, #"{"limit":null,"tokenLimit":null}"#, #"{"limit":"1","policy":7}"#, #"{"tokenLimit":1000000000001}"#,
            #"{"tokens":100}"#,
            #"{"limit":"1000000000.01"}"#,
        ],
    ]
    static let wrongBudgetValues: [String: [String]] = [
        "period": ["null", "1", #""year""#, #""Month""#, #""""#, "[]", "{}"],
        "limit": ["500", "true", "[]", #""abc""#, "{}", #""0""#],
        "tokenLimit": [#""100""#, "1.5", "0", "-5", "1000000000001", "true", "[]"],
        "softThresholdPercent": ["0", "100", "50.5", #""80""#, "true", "-1"],
        "scope": ["1", #""global""#, "[]", #""workflow:other""#, #""""#],
        "policy": [#""weird""#, "1", #""""#, #""REJECT""#, "[]"],
        "admission": [#""p50""#, "1", #""WORST""#, "{}"],
        "reason": ["1", "[]", "true", "\"\(String(repeating: "r", count: 501))\""],
    ]
    static let wrongEstimateValues: [String: [String]] = [
        "samples": ["0", "-1", "10001", "1.5", #""10""#, "true", "[]", "{}"],
        "input": [#""x""#, "1", "[]", "true", "{}", #"{"findings":"x"}"#],
    ]

    mutating func wrongTypes() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route)
        let table = route == .run ? Self.wrongRunValues : route == .budget ? Self.wrongBudgetValues : Self.wrongEstimateValues
        let field = rng.pick(table.keys.sorted())
        let value = rng.pick(table[field]!)
        let members = members(route).filter { $0.0 != field } + [(field, value)]
        return build(
            "wrong types", method, path, caller: caller, body: Array(Self.object(members).utf8), expected: [400],
            note: "\(field) = \(value.prefix(60))")
    }

    mutating func emptyBodies() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route, protected: route == .budget && rng.chance(50))
        let body = rng.pick(["", "", "   ", "null", "[]", "\"x\"", "{}", "\r\n", "0"])
        var expected: Set<Int> = [400]
        if route == .estimate, body == "" || body == "{}" { expected = [200] }
        if body.isEmpty, rng.chance(40) {
            // No Content-Length at all: a request without a body.
            return build("empty bodies", method, path, caller: caller, headers: Self.json, expected: expected, note: "no body")
        }
        return build("empty bodies", method, path, caller: caller, body: Array(body.utf8), expected: expected)
    }

    /// Content types, and whether the server takes them as JSON.
    static let contentTypes: [(value: String?, json: Bool)] = [
        ("text/plain", false), ("application/xml", false), ("application/jsonx", false), ("json", false),
        ("application/json-patch+json", false), ("application/x-www-form-urlencoded", false),
        ("multipart/form-data; boundary=x", false), ("application/problem+json", false), (";", false),
        ("text/json", false), ("application/json; charset=utf-8", true), ("Application/JSON", true), (nil, true),
        ("application/json;", true), (" application/json ", true), ("application/json\t;charset=utf-8", true),
    ]

    mutating func contentTypes() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route)
        let type = rng.pick(Self.contentTypes)
        let headers = type.value.map { [("Content-Type", Array($0.utf8))] } ?? []
        // A JSON content type makes a valid request: a run, a budget change or an estimate.
        return build(
            "content type", method, path, caller: caller, body: Array(Self.object(members(route)).utf8), headers: headers,
            expected: type.json ? nil : [415], note: "Content-Type \(type.value ?? "absent")")
    }

    static let wrongMethods: [(String, String)] = [
        ("DELETE", "/v1/runs"), ("PUT", "/v1/runs"), ("PATCH", "/v1/runs"), ("POST", "/healthz"), ("DELETE", "/healthz"),
        ("PUT", "/metrics"), ("POST", "/openapi.json"), ("DELETE", "/v1/runs/run_x"), ("PUT", "/v1/runs/run_x"),
        ("GET", "/v1/runs/run_x/cancel"), ("DELETE", "/v1/runs/run_x/events"), ("POST", "/v1/workflows"),
        ("PUT", "/v1/workflows/executive-brief"), ("GET", "/v1/workflows/executive-brief/estimate"), ("POST", "/v1/tiers"),
        ("POST", "/v1/budgets"), ("DELETE", "/v1/budgets"), ("POST", "/v1/budgets/global"), ("PATCH", "/v1/budgets/global"),
        ("GET", "/v1/budgets/global"), ("POST", "/v1/alerts"), ("DELETE", "/v1/spend"), ("OPTIONS", "/v1/runs"),
        ("TRACE", "/healthz"), ("PATCH", "/v1/budgets/workflow:fuzz-wf-0"),
    ]

    mutating func wrongMethods() -> FuzzRequest {
        let (method, path) = rng.pick(Self.wrongMethods)
        let caller = rng.pick([Caller.service, .finance, .admin])
        let body: [UInt8]? = method == "GET" || method == "TRACE" || method == "OPTIONS" ? nil : Array(Self.object(Self.budgetMembers).utf8)
        return build("wrong methods", method, path, caller: caller, body: body, expected: [404, 405])
    }

    static let segments = [
        "v1", "runs", "budgets", "workflows", "spend", "history", "events", "cancel", "estimate", "..", ".", "", "%00", "%zz",
        "%2F", "%25", "%2e%2e", "%C0%80", "%FF", "%u0041", "%%", "%", "run_", "global", "tag:a=b", "workflow:", ":", ";",
        "~", "@", "executive-brief", "%E2%80%AE", "a%00b", "%0A", "%0D%0A", "?", "#", "%3F", "+", "*", "healthz",
    ]

    mutating func randomPaths() -> FuzzRequest {
        var path = ""
        if rng.chance(3) {
            path = "/" + String(repeating: rng.pick(["a", "%41", "../", "v1/"]), count: 2000)
        } else {
            let prefix = rng.pick(["/v1", "/v1/runs", "/v1/budgets", "/v1/workflows", "", "//", "/v1/runs/run_x"])
            path = prefix
            for _ in 0..<(1 + rng.below(5)) {
                var segment = rng.pick(Self.segments)
                if segment == "run_" { segment += String(rng.next(), radix: 36) }
                if rng.chance(5) { segment = String(repeating: "x", count: 1 + rng.below(3000)) }
                path += "/" + segment
            }
        }
        let method = rng.pick(["GET", "GET", "POST", "PUT", "DELETE", "PATCH"])
        let caller = rng.pick([Caller.none, .service, .finance, .admin])
        // No body here is ever a valid run or budget.
        let body: [UInt8]? = method == "GET" ? nil : Array(rng.pick(["{}", #"{"workflow":"fuzz-none"}"#, "x", ""]).utf8)
        return build("random paths", method, path, caller: caller, body: body)
    }

    /// A query-string fuzz case: route, caller and parameters; `refused` when a parameter is
    /// unknown or has a bad (non-empty) value, so the answer must be 400.
    mutating func queryStrings() -> FuzzRequest {
        struct Parameter {
            var name: String
            var good: [String]
            var bad: [String]
        }
        let routes: [(method: String, path: String, need: Need, parameters: [Parameter])] = [
            (
                "GET", "/v1/runs", .read,
                [
                    Parameter(name: "status", good: ["succeeded", "failed", "queued"], bad: ["weird", "SUCCEEDED", "1", "succeeded%20"]),
                    Parameter(name: "limit", good: ["1", "1000", "50"], bad: ["-1", "0", "1001", "abc", "1.5", "99999999999999999999", "0x10", "1e2"]),
                    Parameter(name: "cursor", good: ["5", "1"], bad: ["x", "0", "-5", "1.0", "99999999999999999999", "%00"]),
                    Parameter(name: "workflow", good: ["executive-brief", "nope", "%00", "%zz"], bad: []),
                ]
            ),
            ("POST", "/v1/runs", .runs, [Parameter(name: "wait", good: ["true", "false", "1", "0"], bad: ["maybe", "yes", "TRUE", "2", "%00"])]),
            (
                "GET", "/v1/spend", .spend,
                [
                    Parameter(name: "by", good: ["workflow", "tag", "tag:team", "tier", "day"], bad: ["nonsense", "WORKFLOW", "tag:", "tags"]),
                    Parameter(
                        name: "from", good: ["2026-01-01", "2000-01-01"],
                        bad: ["2026-02-30", "2026-13-01", "26-01-01", "2026-1-1", "abc", "2026-01-01T00:00:00Z", "0000-00-00", "2025-02-29"]),
                    // Every good `to` is after every good `from`: `to` alone is its own month up to
                    // that day, so whether an early one is refused depends on `from` (a `from` after
                    // `to` is refused; the conformance test's exchanges have one).
                    Parameter(name: "to", good: ["2099-12-31", "2026-10-31"], bad: ["2026-04-31", "9999-99-99"]),
                ]
            ),
            (
                "DELETE", "/v1/budgets/\(fuzzScope())", .budgets,
                [
                    Parameter(name: "period", good: ["month", "day"], bad: ["year", "Month", "weekly", "%00"]),
                    Parameter(name: "reason", good: ["fuzz", String(repeating: "r", count: 600)], bad: []),
                ]
            ),
            ("GET", "/healthz", .open, []), ("GET", "/v1/budgets", .read, []), ("GET", "/v1/budgets/history", .read, []),
            ("GET", "/v1/workflows", .read, []), ("GET", "/v1/tiers", .read, []), ("GET", "/v1/alerts", .read, []),
            ("GET", "/metrics", .read, []), ("GET", "/v1/runs/run_nope", .read, []),
            ("POST", "/v1/workflows/executive-brief/estimate", .runs, []),
        ]
        let route = rng.pick(routes)
        var pairs: [String] = []
        var refused = false
        var clean = true
        for parameter in route.parameters where rng.chance(60) {
            if !parameter.bad.isEmpty, rng.chance(50) {
                let value = rng.pick(parameter.bad)
                pairs.append("\(parameter.name)=\(value)")
                if value.contains("%") { clean = false } else { refused = true }
            } else {
                let value = rng.pick(parameter.good)
                pairs.append("\(parameter.name)=\(value)")
                if value.contains("%") { clean = false }
            }
        }
        if rng.chance(40) {
            pairs.insert(rng.pick(["x=1", "unknown=", "Limit=5", "limit2=1", "debug=true", "a=b=c", "foo"]), at: rng.below(pairs.count + 1))
            refused = true
        }
        if rng.chance(15) {
            pairs.append(rng.pick(["", "&", "=", "=x", "%zz=1", "limit=%", "%00", "status[]=x", "wait&wait=false"]))
            clean = false
        }
        if route.method == "DELETE", !pairs.contains(where: { $0.hasPrefix("period=") }) { refused = true }
        let caller: Caller =
            switch route.need {
            case .open: rng.chance(50) ? .none : .service
            case .read: rng.pick([.service, .finance, .admin])
            case .runs: rng.chance(80) ? .service : .admin
            case .budgets, .spend: rng.chance(80) ? .finance : .admin
            }
        var target = route.path
        if !pairs.isEmpty || rng.chance(10) { target += "?" + pairs.joined(separator: "&") }
        // Every POST here carries a body naming no workflow: a run can never start from it.
        let body: [UInt8]? =
            route.method == "POST"
            ? Array((route.path == "/v1/runs" ? #"{"workflow":"fuzz-none"}"# : "{}").utf8) : nil
        var expected: Set<Int>? = nil
        if clean, refused { expected = [400] }
        if clean, !refused {
            switch (route.method, route.path) {
            case ("POST", "/v1/runs"): expected = [422]  // the body names no workflow there is
            case ("GET", "/v1/runs/run_nope"): expected = [404]
            case ("DELETE", _): expected = [200, 404]
            default: expected = [200]
            }
        }
        return build("query strings", route.method, target, caller: caller, body: body, expected: expected)
    }

    /// Authorization headers that are not a valid token, whatever the route.
    static func garbledAuthorizations(_ tokens: FuzzPlan.Tokens) -> [[UInt8]] {
        [
            "Bearer", "Bearer ", "Bearer  ", "Basic dXNlcjpwYXNz", "Token \(tokens.service)", "Bearer \(tokens.service)x",
            "Bearer x\(tokens.finance)", "Bearer \(tokens.service) \(tokens.finance)", "Bearer\t\(tokens.service)",
            "Bearer " + String(repeating: "a", count: 16_000), "Bearer \(tokens.admin.uppercased())", "Bearer %00",
            "Bearer null", "Bearer=\(tokens.admin)", "\(tokens.admin)", "Bearer \"\(tokens.admin)\"",
        ].map { Array($0.utf8) } + [Array("Bearer ".utf8) + [0xFF, 0xFE, 0x80], Array("Bearer caf".utf8) + [0xC3, 0xA9]]
    }

    mutating func headers() -> FuzzRequest {
        // Real requests, valid but for what this case does to their headers.
        let routes: [(method: String, path: String, need: Need, body: String?, protected: Bool)] = [
            ("GET", "/v1/runs?limit=1", .read, nil, false), ("GET", "/v1/budgets", .read, nil, false),
            ("GET", "/v1/spend?by=tier", .spend, nil, false), ("GET", "/healthz", .open, nil, false),
            ("POST", "/v1/runs", .runs, Self.object(runMembers(tags: rng.chance(50))), false),
            ("PUT", "/v1/budgets/global", .budgets, Self.object(Self.budgetMembers), true),
            ("DELETE", "/v1/budgets/global?period=month", .budgets, nil, true),
            ("PUT", "/v1/budgets/\(fuzzScope())", .budgets, Self.object(Self.budgetMembers), false),
            ("POST", "/v1/workflows/executive-brief/estimate", .runs, Self.object(estimateMembers), false),
        ]
        let route = rng.pick(routes)
        let body = route.body.map { Array($0.utf8) }
        var headers: [(String, [UInt8])] = body == nil ? [] : Self.json
        var caller: Caller
        var expected: Set<Int>?
        var note: String
        switch rng.below(8) {
        case 0, 1:
            // A valid token of a role, right or wrong for the route. Budgets that apply to the
            // fuzz's runs are only ever tried with roles that must be refused.
            caller = route.protected ? rng.pick([.none, .service]) : rng.pick([.none, .service, .finance, .admin])
            if route.protected, caller == .none { caller = .service }
            expected = route.need.refusal(caller).map { [$0] }
            note = "role"
            return build("headers", route.method, route.path, caller: caller, body: body, headers: headers, expected: expected, note: note)
        case 2, 3:
            let value = rng.pick(Self.garbledAuthorizations(plan.tokens))
            headers.append(("Authorization", value))
            note = "Authorization: \(Self.preview(value).prefix(40))"
            // A token that is not one: 401 on every route, even the public ones.
            return build("headers", route.method, route.path, caller: .none, body: body, headers: headers, expected: [401], note: note)
        case 4:
            // Long values, within the server's header limits.
            let long = String(repeating: rng.pick(["a", "é", "%", ",", " x"]), count: 4_000 + rng.below(8_000))
            headers.append((rng.pick(["X-Fuzz", "Accept", "User-Agent", "Cookie", "X-Request-Id"]), Array(long.utf8)))
            note = "long header"
        case 5:
            for n in 0..<(50 + rng.below(400)) { headers.append(("X-Fuzz-\(n)", Array(String(n).utf8))) }
            note = "many headers"
        case 6:
            // obs-text and tabs in values: valid HTTP/1.1 field values.
            headers.append(("X-Fuzz", [0x09, 0x80, 0xFF, 0x41, 0x09, 0xC3, 0xA9]))
            headers.append(("Accept-Language", [0xE4, 0xB8, 0xAD]))
            note = "obs-text"
        default:
            let choice = rng.pick(["close", "accept-csv", "duplicate-type", "keep-alive", "content-length-0"])
            note = choice
            switch choice {
            case "close": headers.append(("Connection", Array("close".utf8)))
            case "accept-csv": headers.append(("Accept", Array("text/csv".utf8)))
            case "duplicate-type": headers.append(("Content-Type", Array("text/plain".utf8)))
            case "keep-alive": headers.append(("Connection", Array("keep-alive".utf8)))
            default: if body == nil { headers.append(("Content-Length", Array("0".utf8))) }
            }
        }
        caller =
            switch route.need {
            case .open: .none
            case .read: rng.pick([.service, .finance, .admin])
            case .runs: .service
            case .budgets, .spend: .finance
            }
        if route.protected { caller = .service }
        expected = route.need.refusal(caller).map { [$0] }
        if expected == nil, note != "duplicate-type" {
            switch (route.method, route.path) {
            case ("POST", "/v1/runs"): expected = [202]
            case ("DELETE", _): expected = [200, 404]
            default: expected = [200]
            }
        }
        var request = self.build("headers", route.method, route.path, caller: caller, body: body, headers: headers, expected: expected, note: note)
        request.closes = note == "close"
        return request
    }

    mutating func validRuns() -> FuzzRequest {
        let caller: Caller = rng.chance(80) ? .service : .admin
        switch rng.below(6) {
        case 0:
            var request = self.build(
                "valid runs", "POST", "/v1/runs?wait=true", caller: caller, body: Array(Self.object(runMembers(tags: true)).utf8),
                expected: [200])
            request.mustSucceed = true
            return request
        case 1:
            // Far too small a cap with `reject`: refused at admission, and recorded as failed.
            let budget = #"{"limit":"0.000001","policy":"reject"}"#
            return build("valid runs", "POST", "/v1/runs", caller: caller, body: Array(Self.object(runMembers(budget: budget)).utf8), note: "tiny cap")
        case 2:
            let budget = #"{"limit":"5.00","tokenLimit":100000,"policy":"degrade"}"#
            return build(
                "valid runs", "POST", "/v1/runs", caller: caller, body: Array(Self.object(runMembers(key: true, budget: budget)).utf8),
                expected: [202])
        default:
            return build(
                "valid runs", "POST", "/v1/runs", caller: caller,
                body: Array(Self.object(runMembers(tags: rng.chance(50), key: rng.chance(50))).utf8), expected: [202])
        }
    }

    mutating func validBudgets() -> FuzzRequest {
        let caller: Caller = rng.chance(80) ? .finance : .admin
        let scope = fuzzScope()
        if rng.chance(35) {
            return build(
                "valid budgets", "DELETE", "/v1/budgets/\(scope)?period=\(rng.pick(["month", "day"]))&reason=fuzz", caller: caller,
                expected: [200, 404])
        }
        var members = Self.budgetMembers
        members[0] = ("period", Self.quote(rng.pick(["month", "day", "run"])))
        members[4] = ("policy", Self.quote(rng.pick(["reject", "stop", "degrade", "pause"])))
        return build("valid budgets", "PUT", "/v1/budgets/\(scope)", caller: caller, body: Array(Self.object(members).utf8), expected: [200])
    }

    mutating func chunkedBodies() -> FuzzRequest {
        let route = rng.pick(BodyRoute.allCases)
        let (method, path, caller) = target(route)
        let valid = rng.chance(40)
        let text = Self.object(members(route))
        let body = valid ? Array(text.utf8) : mutate(text)
        let chunks = (0..<20).map { _ in 1 + rng.below(rng.chance(50) ? 8 : 200) }
        let headers = auth(caller) + Self.json
        var expected: Set<Int>? = nil
        if valid {
            expected = route == .run ? [202] : [200]
        }
        return FuzzRequest(
            index: index, category: "chunked bodies", summary: "\(method) \(path) as \(caller) [chunked \(valid ? "valid" : "garbled")]",
            bytes: Self.http(method, path, headers, body: body, chunks: chunks), expected: expected,
            mayStartRun: route == .run, mayChangeBudget: route == .budget)
    }

    mutating func reads() -> FuzzRequest {
        let table: [(String, Need, Int)] = [
            ("/v1/runs?limit=5", .read, 200), ("/v1/budgets", .read, 200), ("/v1/budgets/history", .read, 200),
            ("/v1/spend?by=tier", .spend, 200), ("/metrics", .read, 200), ("/v1/workflows", .read, 200),
            ("/v1/workflows/executive-brief", .read, 200), ("/v1/tiers", .read, 200), ("/v1/alerts", .read, 200),
            ("/openapi.json", .open, 200), ("/healthz", .open, 200), ("/v1/runs/run_nope", .read, 404),
            ("/v1/runs/run_nope/events", .read, 404), ("/v1/workflows/nope", .read, 404),
        ]
        let (path, need, status) = rng.pick(table)
        let caller: Caller =
            switch need {
            case .spend: .finance
            case .open: .none
            default: rng.pick([.service, .finance, .admin])
            }
        if rng.chance(20) {
            let id = "run_" + String(rng.next(), radix: 36)
            return build(
                "reads", "POST", "/v1/runs/\(id)/cancel", caller: .service, expected: [404, 409], note: "cancel unknown")
        }
        return build("reads", "GET", path, caller: caller, expected: [status])
    }

    // MARK: Special slots

    /// Bodies over the limit, and one exactly at it.
    mutating func oversized(_ slot: Int) -> FuzzRequest {
        let limit = plan.bodyLimit
        func padded(_ prefix: String, _ suffix: String, to size: Int) -> [UInt8] {
            Array(prefix.utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: size - prefix.utf8.count - suffix.utf8.count)
                + Array(suffix.utf8)
        }
        let runPrefix = #"{"workflow":"executive-brief","input":{"audience":"x","findings":""#
        switch slot % 6 {
        case 0:
            return build(
                "oversized", "POST", "/v1/runs", caller: .service, body: padded(runPrefix, #""}}"#, to: limit + 1), expected: [413],
                note: "limit + 1")
        case 1:
            // Exactly at the limit: read, and refused for its workflow only.
            return build(
                "oversized", "POST", "/v1/runs", caller: .service,
                body: padded(#"{"workflow":"fuzz-none","input":{"findings":""#, #""}}"#, to: limit), expected: [422],
                note: "exactly the limit")
        case 2:
            return build(
                "oversized", "PUT", "/v1/budgets/global", caller: .finance,
                body: padded(#"{"period":"month","reason":""#, #""}"#, to: 2 * limit), expected: [413], note: "2 MiB")
        case 3:
            let body = padded(runPrefix, #""}}"#, to: limit + limit / 2)
            return FuzzRequest(
                index: index, category: "oversized", summary: "POST /v1/runs as service [1.5 MiB chunked]",
                bytes: Self.http("POST", "/v1/runs", auth(.service) + Self.json, body: body, chunks: [65_536]), expected: [413],
                mayStartRun: true)
        case 4:
            return build(
                "oversized", "POST", "/v1/workflows/executive-brief/estimate", caller: .service,
                body: padded(#"{"input":{"audience":"x","findings":""#, #""}}"#, to: 3 * limit), expected: [413], note: "3 MiB")
        default:
            return build(
                "oversized", "POST", "/v1/runs", caller: .none, body: padded(runPrefix, #""}}"#, to: limit + 100_000),
                expected: [401], note: "no token")
        }
    }

    /// Requests whose framing is broken (or that this client cannot read kept alive), each
    /// alone on a fresh connection. None of them is ever a valid run or budget: if one were
    /// processed, it would be answered 422 (no workflow `fuzz-none`).
    mutating func framing(_ slot: Int) -> FuzzRequest {
        let token = Array("Authorization: Bearer \(plan.tokens.service)\r\n".utf8)
        let body = Array(#"{"workflow":"fuzz-none"}"#.utf8)
        func post(_ headers: String, _ rest: [UInt8]) -> [UInt8] {
            Array("POST /v1/runs HTTP/1.1\r\nHost: purser\r\n".utf8) + token + Array(headers.utf8) + rest
        }
        let cases: [(String, [UInt8], FuzzRequest.FramingRule)] = [
            ("garbage request line", Array("GARBAGE\r\n\r\n".utf8), .reject),
            ("HTTP/0.9 request line", Array("GET /healthz\r\n\r\n".utf8), .reject),
            ("HTTP/9.9", Array("GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n".utf8), .reject),
            ("unknown method", Array("FROB /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .reject),
            ("NUL in target", Array("GET /he".utf8) + [0] + Array("althz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .reject),
            ("raw byte 0xE9 in target", Array("GET /v1/r".utf8) + [0xE9] + Array("ns HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .answerOrClose),
            ("space in target", Array("GET /v1/runs?x=a b HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .reject),
            ("header without colon", Array("GET /healthz HTTP/1.1\r\nHost purser\r\n\r\n".utf8), .reject),
            ("space before colon", Array("GET /healthz HTTP/1.1\r\nHost : purser\r\n\r\n".utf8), .reject),
            ("bad header name", Array("GET /healthz HTTP/1.1\r\nHo(st: x\r\nX-A\u{7F}: 1\r\n\r\n".utf8), .reject),
            ("NUL in header value", Array("GET /healthz HTTP/1.1\r\nX-A: a".utf8) + [0] + Array("b\r\n\r\n".utf8), .reject),
            ("CR in header value", Array("GET /healthz HTTP/1.1\r\nX-A: a\rb\r\n\r\n".utf8), .reject),
            ("Content-Length abc", post("Content-Length: abc\r\n\r\n", body), .reject),
            ("Content-Length -1", post("Content-Length: -1\r\n\r\n", body), .reject),
            ("Content-Length 1e3", post("Content-Length: 1e3\r\n\r\n", body), .reject),
            ("two Content-Lengths", post("Content-Length: 24\r\nContent-Length: 25\r\n\r\n", body + [0x20]), .reject),
            ("Content-Length overflow", post("Content-Length: 99999999999999999999999\r\n\r\n", body), .reject),
            ("Content-Length and chunked", post("Content-Length: 24\r\nTransfer-Encoding: chunked\r\n\r\n", Array("18\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)), .reject),
            ("chunk size zz", post("Transfer-Encoding: chunked\r\n\r\n", Array("zz\r\nhello\r\n0\r\n\r\n".utf8)), .reject),
            ("chunk size overflow", post("Transfer-Encoding: chunked\r\n\r\n", Array("ffffffffffffffffffff\r\nhello\r\n0\r\n\r\n".utf8)), .reject),
            ("chunk without CRLF", post("Transfer-Encoding: chunked\r\n\r\n", Array("5\r\n{\"a\":X0\r\n\r\n".utf8)), .reject),
            ("chunked, never ended", post("Transfer-Encoding: chunked\r\n\r\n", Array("5\r\n{\"a\":\r\n".utf8)), .reject),
            ("Transfer-Encoding gzip", post("Transfer-Encoding: gzip\r\n\r\n", body), .reject),
            ("chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n\r\n", Array("18\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)), .reject),
            ("body shorter than Content-Length", post("Content-Type: application/json\r\nContent-Length: 100\r\n\r\n", body), .reject),
            ("head cut short", Array("POST /v1/runs HTTP/1.1\r\nHost: purser\r\nContent-Le".utf8), .reject),
            ("100 KB header", Array("GET /healthz HTTP/1.1\r\nX-Big: \(String(repeating: "b", count: 100_000))\r\n\r\n".utf8), .reject),
            ("100 KB target", Array("GET /v1/\(String(repeating: "p", count: 100_000)) HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .answerOrClose),
            ("2,000 headers", Array(("GET /healthz HTTP/1.1\r\n" + (0..<2000).map { "X-\($0): 1\r\n" }.joined() + "\r\n").utf8), .reject),
            ("binary garbage", rng.bytes(300), .reject),
            ("valid GET then garbage", Array("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n\u{1}\u{2}GARBAGE \r\n\r\n".utf8), .answerOrClose),
            ("obs-fold", Array("GET /healthz HTTP/1.1\r\nX-A: 1\r\n  folded\r\n\r\n".utf8), .answerOrClose),
            ("bare LF", Array("GET /healthz HTTP/1.1\nHost: x\n\n".utf8), .answerOrClose),
            ("CONNECT", Array("CONNECT purser:80 HTTP/1.1\r\nHost: purser:80\r\n\r\n".utf8), .answerOrClose),
            ("Upgrade", Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n".utf8), .answerOrClose),
            ("OPTIONS *", Array("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .answerOrClose),
            ("absolute-form target", Array("GET http://purser/healthz HTTP/1.1\r\nHost: purser\r\n\r\n".utf8), .answerOrClose),
            ("HEAD", Array("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n".utf8), .mustAnswer),
            ("HTTP/1.0", Array("GET /healthz HTTP/1.0\r\n\r\n".utf8), .mustAnswer),
            ("no Host", Array("GET /healthz HTTP/1.1\r\n\r\n".utf8), .mustAnswer),
            ("Expect: 100-continue", post("Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 24\r\n\r\n", body), .mustAnswer),
        ]
        let (name, bytes, rule) = cases[slot % cases.count]
        return FuzzRequest(
            index: index, category: "broken framing", summary: "\(name): \(Self.preview(Array(bytes.prefix(100))))",
            bytes: bytes, transport: .fresh(rule), mayStartRun: false)
    }
}
