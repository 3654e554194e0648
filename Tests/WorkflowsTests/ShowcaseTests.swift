import Purser
import Testing
import Workflows

/// The showcase workflows do what each is there to show, on the embedded default.
@Suite("Showcase workflows")
struct ShowcaseTests {
    func engine(budgets: [Budget] = []) -> Engine {
        Engine(
            providers: [SimulatedProvider(speed: .instant)], tools: ExampleWorkflows.tools(),
            ledger: InMemoryLedger(budgets: budgets))
    }

    func run(_ workflow: Workflow, budgets: [Budget] = []) async throws -> RunResult {
        let engine = engine(budgets: budgets)
        return try await engine.run(try engine.compile(workflow), input: workflow.exampleInput)
    }

    @Test func everyShowcaseHasAValidBudgetAndAWorkflowThatShips() throws {
        #expect(Showcase.all.count == 4)
        for showcase in Showcase.all {
            _ = try showcase.budget()
            #expect(ExampleWorkflows.named(showcase.workflow.name) != nil)
        }
    }

    @Test func contactCenterStaysOnTiersFastEnoughForALiveCall() async throws {
        let result = try await run(ExampleWorkflows.contactCenter)
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        let catalog = Dictionary(uniqueKeysWithValues: SimulatorCatalog.tiers.map { ($0.id, $0) })
        let decisions = result.records.compactMap(\.decision)
        #expect(decisions.count >= 3)
        for decision in decisions {
            #expect(decision.predictedP95Seconds <= LatencyNeed.interactive.p95Seconds)
            #expect(catalog[decision.tierID]?.batch == false)
        }
        // The agent loop used its tools before answering.
        #expect(result.records.contains { $0.tool != nil && $0.key.hasPrefix("agent#") })
    }

    @Test func contractReviewSendsEveryClauseToTheBatchTierAndItsEstimateIsExactInCalls() async throws {
        let workflow = ExampleWorkflows.contractReview
        let engine = engine()
        let graph = try engine.compile(workflow)
        let estimate = try await engine.estimate(graph, input: workflow.exampleInput)
        let clauses = ExampleWorkflows.sampleClauses.count
        let assess = try #require(estimate.steps.first { $0.path == "clauses/assess" })
        #expect(assess.calls.p50 == clauses && assess.calls.worst == clauses)
        let result = try await engine.run(graph, input: workflow.exampleInput)
        #expect(result.status == .succeeded)
        let reviews = result.records.filter { $0.key.hasSuffix("/assess") }
        #expect(reviews.count == clauses)
        #expect(reviews.allSatisfy { $0.tierID == "sim-small-eu-batch" })
        #expect(result.totals.cost <= estimate.cost.worst)
    }

    @Test func creditDecisionRunsOnlyInTheUKAndItsDecisionsSayWhy() async throws {
        let result = try await run(ExampleWorkflows.creditDecision)
        #expect(result.status == .succeeded, "\(String(describing: result.error))")
        let uk = Set(SimulatorCatalog.tiers.filter { $0.jurisdiction == .uk }.map(\.id))
        let elsewhere = Set(SimulatorCatalog.tiers.map(\.id)).subtracting(uk)
        let calls = result.records.flatMap(\.calls)
        #expect(calls.count == 2)
        #expect(calls.allSatisfy { uk.contains($0.tierID) })
        for decision in result.records.compactMap(\.decision) {
            let ruledOut = decision.rejected.filter { $0.reason == .jurisdiction }.map(\.tierID)
            #expect(Set(ruledOut) == elsewhere)
        }
    }

    @Test func plannerExecutorFansOutAsPlannedAndAPerRunCapStopsIt() async throws {
        let workflow = ExampleWorkflows.plannerExecutor
        let free = try await run(workflow)
        #expect(free.status == .succeeded)
        let planned = try #require(free.outputs["plan"]?["tasks"]?.arrayValue?.count)
        #expect((2...12).contains(planned))
        #expect(free.records.filter { $0.key.hasPrefix("execute[") }.count == planned)

        let showcase = try #require(Showcase.all.first { $0.workflow.name == workflow.name })
        let cap = try showcase.budget()
        #expect(cap.scope == .run && cap.policy == .stop)
        #expect(try #require(cap.limit) < free.totals.cost, "the cap must be below what the plan costs")
        let capped = try await run(workflow, budgets: [cap])
        #expect(capped.status == .failed)
        #expect(capped.error?.code == .budgetExceeded)
        #expect(capped.totals.cost <= cap.limit ?? .zero)
        #expect(capped.records.filter { $0.key.hasPrefix("execute[") && $0.status == .succeeded }.count < planned)
    }
}
