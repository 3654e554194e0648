import Foundation
import Hummingbird
import Purser
import PurserSQLite

/// `/v1/budgets`, `/v1/spend`, `/v1/alerts`: finance's caps, their audit log, and spend.
extension PurserAPI {
    func addBudgetRoutes(to routes: Routes) {
        routes.on(.get, "/v1/budgets") { request, context in
            _ = try context.require(Permission.read, to: "reading budgets")
            try request.rejectUnknownQuery(known: [])
            let statuses = try await Self.blockingStorage { try ledger.budgetStatuses() }
            return try JSONResponse.make(["budgets": statuses])
        }

        routes.on(.put, "/v1/budgets/:scope") { request, context in
            let caller = try context.require(Permission.budgets, to: "setting a budget")
            try request.rejectUnknownQuery(known: [])
            let scope = try Self.scope(context)
            let body = try await JSONRequest.object(request, limit: bodyLimit)
            let (budget, reason) = try Self.budget(scope: scope, body)
            let change = try await Self.blockingStorage { try ledger.setBudget(budget, actor: caller.name, reason: reason) }
            let status = try await Self.blockingStorage {
                try ledger.budgetStatuses().first { $0.budget.scope == budget.scope && $0.budget.period == budget.period }
            }
            return try JSONResponse.make(BudgetSet(change: change, status: status))
        }

        routes.on(.delete, "/v1/budgets/:scope") { request, context in
            let caller = try context.require(Permission.budgets, to: "removing a budget")
            try request.rejectUnknownQuery(known: ["period", "reason"])
            let scope = try Self.scope(context)
            guard let periodText = request.query("period") else {
                throw APIProblem.badRequest("missing_parameter", "say which budget of \(scope): ?period=run, day or month")
            }
            let period: BudgetPeriod
            do throws(BudgetInputError) { period = try BudgetPeriod(parsing: periodText) } catch {
                throw APIProblem.badRequest("invalid_parameter", error.message)
            }
            guard try await Self.blockingStorage({ try ledger.budget(scope: scope, period: period) }) != nil else {
                throw APIProblem.notFound("unknown_budget", "there is no budget \(scope)/\(period.rawValue)")
            }
            let change = try await Self.blockingStorage {
                try ledger.removeBudget(scope: scope, period: period, actor: caller.name, reason: request.query("reason"))
            }
            return try JSONResponse.make(change)
        }

        routes.on(.get, "/v1/budgets/history") { request, context in
            _ = try context.require(Permission.read, to: "reading the budget history")
            try request.rejectUnknownQuery(known: [])
            return try JSONResponse.make(["changes": try await Self.blockingStorage { try ledger.history() }])
        }

        routes.on(.get, "/v1/alerts") { request, context in
            _ = try context.require(Permission.read, to: "reading alerts")
            try request.rejectUnknownQuery(known: [])
            return try JSONResponse.make(["alerts": try await Self.blockingStorage { try ledger.alerts() }])
        }

        routes.on(.get, "/v1/spend") { request, context in
            _ = try context.require(Permission.spend, to: "reading spend")
            try request.rejectUnknownQuery(known: ["by", "from", "to"])
            let grouping: SpendGrouping
            let window: SpendWindow
            do throws(BudgetInputError) {
                grouping = try SpendGrouping(parsing: request.query("by") ?? "workflow")
                window = try SpendWindow(from: request.query("from"), to: request.query("to"))
            } catch {
                throw APIProblem.badRequest("invalid_parameter", error.message)
            }
            let rows = try await Self.blockingStorage { try ledger.spend(by: grouping, from: window.start, to: window.end) }
            if Self.wantsCSV(request) {
                return Response(
                    status: .ok, headers: [.contentType: "text/csv; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: SpendRow.csv(rows))))
            }
            return try JSONResponse.make(["rows": rows])
        }
    }

    /// The names `Budget` is encoded with, so a client can send back what it read.
    static let budgetFields: Set<String> = [
        "period", "limit", "tokenLimit", "softThresholdPercent", "policy", "admission", "reason", "scope",
    ]

    /// The budget a `PUT` body describes for `scope`, and the reason for the audit log.
    static func budget(scope: BudgetScope, _ body: JSONFields) throws(APIProblem) -> (Budget, String?) {
        try body.rejectUnknown(known: budgetFields)
        do {
            let period = try BudgetPeriod(parsing: try body.requiredString("period"))
            var limit: Money?
            if let text = try body.string("limit") {
                do { limit = try Money(parsing: text) } catch {
                    throw APIProblem.badRequest("invalid_value", "limit: \(error)", pointer: "$.limit")
                }
            } else if let value = body.value("limit") {
                throw body.wrongType("limit", expected: "a decimal string such as \"500.00\" (money is never a JSON number)", got: value)
            }
            let tokens = try body.integer("tokenLimit", in: 1...Budget.largestTokenLimit)
            let soft = try body.integer("softThresholdPercent", in: 1...99)
            if let named = try body.string("scope"), named != scope.description {
                throw APIProblem.badRequest(
                    "invalid_value", "the body's scope '\(named)' is not the path's '\(scope)'", pointer: "$.scope")
            }
            let policy = try body.string("policy").map { text throws(BudgetInputError) in try BudgetPolicy(parsing: text) } ?? .stop
            let admission = try body.string("admission").map { text throws(BudgetInputError) in try AdmissionBasis(parsing: text) } ?? .p95
            let reason = try body.string("reason")
            if let reason, reason.count > 500 {
                throw APIProblem.badRequest("invalid_value", "reason must be at most 500 characters", pointer: "$.reason")
            }
            let budget = try Budget(
                scope: scope, period: period, limit: limit, tokenLimit: tokens, softThresholdPercent: soft, policy: policy,
                admission: admission)
            return (budget, reason)
        } catch let problem as APIProblem {
            throw problem
        } catch let error as BudgetInputError {
            throw APIProblem.badRequest("invalid_budget", error.message)
        } catch {
            throw APIProblem.badRequest("invalid_budget", "\(error)")
        }
    }

    static func scope(_ context: PurserRequestContext) throws(APIProblem) -> BudgetScope {
        let text = context.parameters.get("scope")?.removingPercentEncoding ?? ""
        do { return try BudgetScope(parsing: text) } catch {
            throw APIProblem.badRequest("invalid_scope", error.message)
        }
    }

    static func wantsCSV(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.lowercased().contains("text/csv")
    }
}

/// What setting a budget answers: the change as logged, and the budget's standing now.
struct BudgetSet: Encodable {
    var change: BudgetChange
    var status: BudgetStatus?
}
