import Purser
import PurserSQLite

/// A request to start a run, as `POST /v1/runs` takes it and as the server stores it, so a run
/// interrupted by a restart starts again exactly as asked.
public struct RunRequest: Sendable, Hashable {
    public var workflow: String
    public var input: JSONValue
    public var tags: [String: String]
    /// A cap on this run alone (scope `run`), on top of finance's budgets.
    public var budget: Budget?
    public var idempotencyKey: String?

    public init(
        workflow: String, input: JSONValue, tags: [String: String] = [:], budget: Budget? = nil,
        idempotencyKey: String? = nil
    ) {
        self.workflow = workflow
        self.input = input
        self.tags = tags
        self.budget = budget
        self.idempotencyKey = idempotencyKey
    }

    static let fields: Set<String> = ["workflow", "input", "tags", "budget", "idempotencyKey"]
    static let budgetFields: Set<String> = ["limit", "tokenLimit", "policy"]
    /// Long enough for a UUID or a hash with a prefix; longer keys are a client bug.
    static let maxKeyLength = 200

    /// Reads a request body; every problem names its field.
    init(_ body: JSONFields) throws(APIProblem) {
        try body.rejectUnknown(known: Self.fields)
        workflow = try body.requiredString("workflow")
        input = body.value("input") ?? .object([:])
        tags = try body.stringMap("tags") ?? [:]
        for (key, value) in tags where key.isEmpty || value.isEmpty || key.count > 100 || value.count > 200 {
            throw APIProblem.badRequest(
                "invalid_value", "tag '\(key)=\(value)' must have a key (1-100 characters) and a value (1-200)",
                pointer: body.pointer("tags"))
        }
        if let key = try body.string("idempotencyKey") {
            guard !key.isEmpty, key.count <= Self.maxKeyLength else {
                throw APIProblem.badRequest(
                    "invalid_value", "idempotencyKey must be 1 to \(Self.maxKeyLength) characters",
                    pointer: body.pointer("idempotencyKey"))
            }
            idempotencyKey = key
        }
        if let budget = try body.object("budget") {
            self.budget = try Self.budget(budget)
        }
    }

    private static func budget(_ fields: JSONFields) throws(APIProblem) -> Budget {
        try fields.rejectUnknown(known: budgetFields)
        var limit: Money?
        if let text = try fields.string("limit") {
            do { limit = try Money(parsing: text) } catch {
                throw APIProblem.badRequest(
                    "invalid_value", "budget.limit: \(error)", pointer: fields.pointer("limit"))
            }
        } else if let value = fields.value("limit") {
            throw fields.wrongType("limit", expected: "a decimal string such as \"0.50\" (money is never a JSON number)", got: value)
        }
        let tokens = try fields.integer("tokenLimit", in: 1...Budget.largestTokenLimit)
        var policy = BudgetPolicy.reject
        if let text = try fields.string("policy") {
            guard let parsed = BudgetPolicy(rawValue: text), parsed != .pause else {
                throw APIProblem.badRequest(
                    "invalid_value",
                    "budget.policy must be reject, stop or degrade, got '\(text)' (nobody can raise a run's own cap, so pause would wait forever)",
                    pointer: fields.pointer("policy"))
            }
            policy = parsed
        }
        do {
            return try Budget(scope: .run, period: .run, limit: limit, tokenLimit: tokens, policy: policy)
        } catch {
            throw APIProblem.badRequest("invalid_value", "budget: \(error.message)", pointer: fields.path)
        }
    }

    /// What is stored with the submission (everything but the workflow and key, which have columns).
    var stored: JSONValue {
        var object: [String: JSONValue] = ["input": input, "tags": .object(tags.mapValues(JSONValue.string))]
        if let budget {
            var stored: [String: JSONValue] = ["policy": .string(budget.policy.rawValue)]
            if let limit = budget.limit { stored["limit"] = .string(limit.description) }
            if let tokens = budget.tokenLimit { stored["tokenLimit"] = .number(Double(tokens)) }
            object["budget"] = .object(stored)
        }
        return .object(object)
    }

    /// Reads back what ``stored`` wrote.
    init(submission: Submission) throws(APIProblem) {
        guard case .object(var members) = submission.request else {
            throw APIProblem(.internalServerError, code: "corrupt_submission", "stored request of \(submission.id) is not an object")
        }
        members["workflow"] = .string(submission.workflow)
        if let key = submission.idempotencyKey { members["idempotencyKey"] = .string(key) }
        try self.init(JSONFields(members, path: "$"))
    }
}
