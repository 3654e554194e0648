import Foundation
import Purser
import PurserTestKit
import Testing

/// The engine against scripted providers and tools: every construct, concurrency, cancellation,
/// timeouts, retries and the ledger discipline.
@Suite("Engine")
struct EngineTests {
    let tier = Tier.scripted()

    func engine(
        _ provider: ScriptedProvider, tools: [any Tool] = [], ledger: InMemoryLedger = InMemoryLedger(),
        journal: InMemoryJournal = InMemoryJournal(), clock: any PurserClock = SystemClock(), tiers: [Tier]? = nil
    ) -> Engine {
        Engine(
            tiers: tiers ?? [tier], providers: [provider], tools: tools, ledger: ledger, journal: journal,
            clock: clock)
    }

    static let fastRetry = RetryPolicy(
        maxAttempts: 3, initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(2), jitter: 0)

    @Test func runsASequenceFeedingOutputsForward() async throws {
        let provider = ScriptedProvider(script: [
            ScriptedProvider.text("first", input: 100, output: 50),
            ScriptedProvider.text("second", input: 200, output: 100),
        ])
        let engine = engine(provider)
        let workflow = Workflow("seq") {
            ModelStep("one", system: "Be brief.", prompt: "Start from {{input.topic}}")
            ModelStep("two", prompt: "Continue after: {{steps.one}}")
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["topic": "budgets"])
        #expect(result.status == .succeeded)
        #expect(result.output == .string("second"))
        #expect(result.outputs == ["one": "first", "two": "second"])
        #expect(provider.requests[0].messages == [.system("Be brief."), .user("Start from budgets")])
        #expect(provider.requests[1].messages == [.user("Continue after: first")])
        #expect(result.records.map(\.key) == ["one", "two"])
        #expect(result.records.allSatisfy { $0.tierID == "test-tier" && $0.attempts == 1 && $0.status == .succeeded })
        // $1/M in, $2/M out: 100 + 100 = 200 µ$, then 200 + 200 = 400 µ$.
        #expect(result.records.map(\.cost) == [Money(micros: 200), Money(micros: 400)])
        #expect(result.totals.cost == Money(micros: 600))
        #expect(result.totals.usage == TokenUsage(inputTokens: 300, outputTokens: 150))
        #expect(result.totals.modelCalls == 2)
    }

    @Test func structuredOutputIsParsedAndReadByPath() async throws {
        let provider = ScriptedProvider(script: [
            ScriptedProvider.text(#"{"priority":"high","tags":["a","b"]}"#),
            ScriptedProvider.text("done"),
        ])
        let engine = engine(provider)
        let workflow = Workflow("json") {
            ModelStep("classify", prompt: "x")
                .output(.object(["priority": .string(oneOf: ["low", "high"]), "tags": .array(of: .string())]))
            ModelStep("use", prompt: "{{steps.classify.priority}} / {{steps.classify.tags.1}} / {{steps.classify.tags}}")
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.outputs["classify"] == ["priority": "high", "tags": ["a", "b"]])
        #expect(provider.requests[0].outputSchema != nil)
        #expect(provider.requests[1].messages.last?.content == #"high / b / ["a","b"]"#)
    }

    @Test func invalidStructuredOutputIsRetriedAndPaidFor() async throws {
        let provider = ScriptedProvider(script: [
            ScriptedProvider.text("not json", input: 10, output: 10),
            ScriptedProvider.text(#"{"ok":"yes","extra":1}"#, input: 10, output: 10),
            ScriptedProvider.text(#"{"ok":"yes"}"#, input: 10, output: 10),
        ])
        let ledger = InMemoryLedger()
        let engine = engine(provider, ledger: ledger)
        let workflow = Workflow("retry-json") {
            ModelStep("s", prompt: "x").output(.object(["ok": .string()])).retry(Self.fastRetry)
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded)
        #expect(result.records.first?.attempts == 3)
        // All three answers were billed: 3 × (10 + 20) µ$.
        #expect(result.totals.cost == Money(micros: 90))
        #expect(await ledger.spent == Money(micros: 90))
        #expect(await ledger.openReservations.isEmpty)
    }

    @Test func toolStepsRenderTypedArguments() async throws {
        let echo = RecordingTool(name: "echo", schema: JSONSchema(type: .object))
        let provider = ScriptedProvider(script: [ScriptedProvider.text(#"{"n":3}"#)])
        let engine = engine(provider, tools: [echo])
        let workflow = Workflow("tools") {
            ModelStep("plan", prompt: "x").output(.object(["n": .integer()]))
            ToolStep("call", tool: "echo", arguments: [
                "count": "{{steps.plan.n}}", "label": "n={{steps.plan.n}}", "list": "{{input.list}}", "fixed": true,
            ])
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["list": [1, 2]])
        #expect(echo.invocations == [["count": 3, "label": "n=3", "list": [1, 2], "fixed": true]])
        #expect(result.output == ["count": 3, "label": "n=3", "list": [1, 2], "fixed": true])
        #expect(result.records.last?.kind == .tool)
        #expect(result.totals.toolCalls == 1)
    }

    @Test func toolArgumentsAreValidatedAgainstTheSchema() async throws {
        let strict = RecordingTool(name: "strict", schema: .object(["n": .integer(minimum: 1)]))
        let engine = engine(ScriptedProvider(), tools: [strict])
        let workflow = Workflow("bad-args") {
            ToolStep("call", tool: "strict", arguments: ["n": "{{input.n}}"])
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["n": 0])
        #expect(result.status == .failed)
        #expect(result.error?.code == .toolFailure)
        #expect(result.error?.message.contains("$.n: 0 is less than the minimum 1") == true)
        #expect(strict.invocations.isEmpty)
    }

    @Test func parallelBranchesOverlapInTime() async throws {
        let response = ModelResponse(text: "ok", usage: TokenUsage(inputTokens: 1, outputTokens: 1))
        let provider = ScriptedProvider(fallback: .delay(.milliseconds(150), response))
        let engine = engine(provider)
        let workflow = Workflow("par") {
            Parallel {
                ModelStep("a", prompt: "a")
                ModelStep("b", prompt: "b")
                ModelStep("c", prompt: "c")
            }
            ModelStep("join", prompt: "{{steps.a}} {{steps.b}} {{steps.c}}")
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.status == .succeeded)
        #expect(provider.maxConcurrentCalls == 3)
        let branches = result.records.filter { ["a", "b", "c"].contains($0.key) }
        let starts = branches.map(\.startedAt.timeIntervalSince1970)
        let ends = zip(branches, starts).map { $1 + $0.latency }
        // Every branch started before any branch ended.
        #expect(starts.max()! < ends.min()!)
        #expect(result.output == .string("ok"))
    }

    @Test func theRunConcurrencyLimitHolds() async throws {
        let response = ModelResponse(text: "ok", usage: TokenUsage(inputTokens: 1, outputTokens: 1))
        let provider = ScriptedProvider(fallback: .delay(.milliseconds(100), response))
        let engine = engine(provider)
        let workflow = Workflow("limit") {
            ForEach("fan", over: "input.items", maxCount: 50, maxConcurrency: 50) {
                ModelStep("call", prompt: "{{item}}")
            }
        }
        let items = JSONValue.array((0..<24).map { .number(Double($0)) })
        let result = try await engine.run(
            try engine.compile(workflow), input: ["items": items], options: RunOptions(maxConcurrency: 3))
        #expect(result.status == .succeeded)
        #expect(provider.callCount == 24)
        #expect(provider.maxConcurrentCalls == 3)
    }

    @Test func forEachKeepsOrderAndRespectsItsOwnConcurrency() async throws {
        let provider = ScriptedProvider(
            fallback: .delay(.milliseconds(60), ModelResponse(text: "x", usage: TokenUsage(inputTokens: 1, outputTokens: 1))))
        let echo = RecordingTool(name: "echo", schema: JSONSchema(type: .object))
        let engine = engine(provider, tools: [echo])
        let workflow = Workflow("fan") {
            ForEach("fan", over: "input.items", maxCount: 10, maxConcurrency: 2) {
                ModelStep("think", prompt: "{{item.name}}")
                ToolStep("tag", tool: "echo", arguments: ["i": "{{index}}", "name": "{{item.name}}", "said": "{{steps.think}}"])
            }
        }
        let names: [JSONValue] = ["a", "b", "c", "d", "e"].map { ["name": .string($0)] }
        let result = try await engine.run(try engine.compile(workflow), input: ["items": .array(names)])
        #expect(result.status == .succeeded)
        #expect(provider.maxConcurrentCalls == 2)
        #expect(result.output == .array((0..<5).map { i in
            ["i": .number(Double(i)), "name": .string(["a", "b", "c", "d", "e"][i]), "said": "x"]
        }))
        #expect(Set(result.records.map(\.key)).isSuperset(of: ["fan[0]/think", "fan[4]/tag"]))
    }

    @Test func forEachRefusesMoreItemsThanDeclared() async throws {
        let provider = ScriptedProvider(fallback: ScriptedProvider.text("x"))
        let engine = engine(provider)
        let workflow = Workflow("too-many") {
            ForEach("fan", over: "input.items", maxCount: 2) { ModelStep("call", prompt: "{{item}}") }
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["items": [1, 2, 3]])
        #expect(result.status == .failed)
        #expect(result.error?.code == .fanOutExceeded)
        #expect(result.error?.message == "for-each over 'input.items' has 3 items, more than its declared maxCount 2")
        #expect(provider.callCount == 0)
    }

    @Test func forEachOverSomethingThatIsNotAListFails() async throws {
        let engine = engine(ScriptedProvider())
        let workflow = Workflow("not-a-list") {
            ForEach("fan", over: "input.items", maxCount: 2) { ModelStep("call", prompt: "{{item}}") }
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["items": "oops"])
        #expect(result.error?.code == .invalidInput)
        #expect(result.error?.message == "for-each over 'input.items' needs a list, got string")
    }

    @Test func agentLoopsCallToolsUntilTheModelAnswers() async throws {
        let calc = RecordingTool(name: "calc", schema: JSONSchema(type: .object)) { _, n in ["result": .number(Double(n * 10))] }
        let failing = RecordingTool(name: "flaky", schema: JSONSchema(type: .object)) { _, _ in
            throw ToolError(tool: "flaky", message: "backend down")
        }
        let provider = ScriptedProvider(script: [
            .respond(ModelResponse(
                text: "", toolCalls: [ToolCall(id: "c1", name: "calc", arguments: ["x": 1]), ToolCall(id: "c2", name: "flaky", arguments: [:])],
                usage: TokenUsage(inputTokens: 10, outputTokens: 5))),
            .respond(ModelResponse(
                text: "", toolCalls: [ToolCall(id: "c3", name: "calc", arguments: ["x": 2]), ToolCall(id: "c4", name: "not-offered", arguments: [:])],
                usage: TokenUsage(inputTokens: 20, outputTokens: 5))),
            ScriptedProvider.text("the answer is 20", input: 30, output: 5),
        ])
        let engine = engine(provider, tools: [calc, failing])
        let workflow = Workflow("agent") {
            AgentLoop("research", system: "Use tools.", prompt: "Work out {{input.q}}", tools: ["calc", "flaky"], maxIterations: 5)
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["q": "it"])
        #expect(result.status == .succeeded)
        #expect(result.output == .string("the answer is 20"))
        #expect(provider.callCount == 3)
        #expect(provider.requests.allSatisfy { $0.tools.map(\.name) == ["calc", "flaky"] })
        let third = provider.requests[2].messages
        #expect(third.map(\.role) == [.system, .user, .assistant, .tool, .tool, .assistant, .tool, .tool])
        #expect(third[3].content == #"{"result":10}"#)
        #expect(third[4].content == #"{"error":"tool 'flaky' failed: backend down"}"#)
        #expect(third[7].content.contains("unknown tool 'not-offered'"))
        #expect(result.records.map(\.key).sorted() == [
            "research#1", "research#1/calc", "research#1/flaky", "research#2", "research#2/calc", "research#3",
        ])
        #expect(result.records.first { $0.key == "research#1/flaky" }?.status == .failed)
    }

    @Test func agentLoopsStopAtTheirBoundWithAToolFreeCall() async throws {
        let calc = RecordingTool(name: "calc", schema: JSONSchema(type: .object))
        let toolCall = ModelResponse(
            text: "", toolCalls: [ToolCall(id: "c", name: "calc", arguments: [:])], usage: TokenUsage(inputTokens: 1, outputTokens: 1))
        let provider = ScriptedProvider(script: [.respond(toolCall), .respond(toolCall), ScriptedProvider.text("forced answer")])
        let engine = engine(provider, tools: [calc])
        let workflow = Workflow("bounded") {
            AgentLoop("loop", prompt: "go", tools: ["calc"], maxIterations: 3)
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.output == .string("forced answer"))
        #expect(provider.requests.map(\.tools.count) == [1, 1, 0])
        #expect(calc.invocations.count == 2)
    }

    @Test(arguments: [("urgent", "paged"), ("routine", "queued")])
    func branchesTakeTheArmTheConditionPicks(priority: String, expected: String) async throws {
        let provider = ScriptedProvider(script: [
            ScriptedProvider.text(#"{"priority":"\#(priority)","score":7}"#), ScriptedProvider.text(expected),
        ])
        let engine = engine(provider)
        let workflow = Workflow("branch") {
            ModelStep("classify", prompt: "x").output(.object(["priority": .string(), "score": .number()]))
            Branch("route", if: .all([.equals("steps.classify.priority", "urgent"), .greaterThan("steps.classify.score", 5)])) {
                ModelStep("page", prompt: "page")
            } otherwise: {
                ModelStep("queue", prompt: "queue")
            }
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.outputs["route"] == .string(expected))
        #expect(result.records.map(\.key) == ["classify", expected == "paged" ? "page" : "queue"])
    }

    @Test func conditionsCoverEveryOperator() async throws {
        let provider = ScriptedProvider(fallback: ScriptedProvider.text("ran"))
        let engine = engine(provider)
        let cases: [(Condition, Bool)] = [
            (.equals("input.a", 1), true), (.notEquals("input.a", 1), false), (.contains("input.s", "ell"), true),
            (.contains("input.list", 2), true), (.contains("input.list", 9), false), (.exists("input.missing"), false),
            (.exists("input.s"), true), (.greaterThan("input.a", 0.5), true), (.lessThan("input.a", 0.5), false),
            (.any([.exists("input.missing"), .equals("input.s", "hello")]), true), (.not(.exists("input.s")), false),
        ]
        for (condition, expected) in cases {
            let workflow = Workflow("cond") {
                Branch("b", if: condition) { ModelStep("yes", prompt: "y") } otherwise: { ModelStep("no", prompt: "n") }
            }
            let result = try await engine.run(try engine.compile(workflow), input: ["a": 1, "s": "hello", "list": [1, 2]])
            #expect(result.records.map(\.key) == [expected ? "yes" : "no"], "\(condition)")
        }
    }

    @Test func subworkflowsRunWithTheirOwnInputAndKeys() async throws {
        let provider = ScriptedProvider(script: [ScriptedProvider.text("draft"), ScriptedProvider.text("polished")])
        let engine = engine(provider)
        let polish = Workflow("polish", inputSchema: .object(["text": .string()])) {
            ModelStep("edit", prompt: "Polish: {{input.text}}")
        }
        let workflow = Workflow("outer") {
            ModelStep("draft", prompt: "Draft")
            Subworkflow("polished", workflow: polish, input: ["text": "{{steps.draft}}"])
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.output == .string("polished"))
        #expect(provider.requests[1].messages.last?.content == "Polish: draft")
        #expect(result.records.map(\.key) == ["draft", "polished/edit"])
    }

    @Test func invalidRunInputIsRefusedBeforeAnythingRuns() async throws {
        let provider = ScriptedProvider()
        let engine = engine(provider)
        let workflow = Workflow("typed", inputSchema: .object(["ticket": .string()])) {
            ModelStep("a", prompt: "{{input.ticket}}")
        }
        let graph = try engine.compile(workflow)
        let error = await #expect(throws: PurserError.self) { try await engine.run(graph, input: ["ticket": 5]) }
        #expect(error?.code == .invalidInput)
        #expect(error?.message == "input for workflow 'typed' is invalid: $.ticket: expected string, got integer")
        #expect(provider.callCount == 0)
    }

    @Test func missingInputFieldsFailTheStepClearly() async throws {
        let engine = engine(ScriptedProvider())
        let workflow = Workflow("missing") { ModelStep("a", prompt: "{{input.ticket.subject}}") }
        let result = try await engine.run(try engine.compile(workflow), input: ["ticket": [:]])
        #expect(result.status == .failed)
        #expect(result.error?.code == .invalidInput)
        #expect(result.error?.stepKey == "a")
        #expect(result.error?.message == "'{{input.ticket.subject}}' does not exist in the run input")
    }

    @Test func retryableFailuresAreRetriedAndOthersAreNot() async throws {
        let provider = ScriptedProvider(script: [
            .fail(ProviderError(.rateLimited, "slow down")), .fail(ProviderError(.serverError, "502")),
            ScriptedProvider.text("finally"),
            .fail(ProviderError(.authentication, "bad key")),
        ])
        let ledger = InMemoryLedger()
        let engine = engine(provider, ledger: ledger)
        let workflow = Workflow("retries") {
            ModelStep("flaky", prompt: "x").retry(Self.fastRetry)
            ModelStep("fatal", prompt: "y").retry(Self.fastRetry)
        }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        let events = await handle.collectEvents()
        let result = await handle.result()
        #expect(result.status == .failed)
        #expect(result.records.map(\.attempts) == [3, 1])
        #expect(result.error?.code == .providerFailure)
        #expect(result.error?.stepKey == "fatal")
        #expect(result.error?.message == "authentication: bad key")
        #expect(result.outputs == ["flaky": "finally"])
        let retries = events.compactMap { event -> Int? in
            if case .stepRetrying(_, let attempt, _, _) = event { return attempt }
            return nil
        }
        #expect(retries == [1, 2])
        #expect(await ledger.openReservations.isEmpty)
        let kinds = await ledger.allEntries.map(\.kind)
        #expect(kinds == [.reserve, .release, .reserve, .release, .reserve, .settle, .reserve, .release])
    }

    @Test func retriesGiveUpAfterMaxAttempts() async throws {
        let provider = ScriptedProvider(fallback: .fail(ProviderError(.overloaded, "busy")))
        let engine = engine(provider)
        let workflow = Workflow("give-up") { ModelStep("s", prompt: "x").retry(Self.fastRetry) }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(provider.callCount == 3)
        #expect(result.error?.code == .providerFailure)
        #expect(result.records.first?.attempts == 3)
    }

    @Test func stepsTimeOutOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let provider = ScriptedProvider(script: [.hang, ScriptedProvider.text("second try")])
        let ledger = InMemoryLedger()
        let engine = engine(provider, ledger: ledger, clock: clock)
        let workflow = Workflow("timeouts") {
            ModelStep("slow", prompt: "x").timeout(.seconds(30))
                .retry(RetryPolicy(maxAttempts: 2, initialBackoff: .seconds(1), jitter: 0))
        }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(30))          // the first attempt times out
        try await clock.waitForSleepers(1)        // backoff
        clock.advance(by: .seconds(1))
        let result = await handle.result()
        #expect(result.status == .succeeded)
        #expect(result.output == .string("second try"))
        #expect(result.records.first?.attempts == 2)
        #expect(clock.sleepRequests.prefix(2) == [.seconds(30), .seconds(1)])
        #expect(await ledger.openReservations.isEmpty)
    }

    @Test func aTimeoutThatPersistsFailsTheRunAsTimedOut() async throws {
        let clock = ManualClock()
        let provider = ScriptedProvider(fallback: .hang)
        let engine = engine(provider, clock: clock)
        let workflow = Workflow("timeout") { ModelStep("slow", prompt: "x").timeout(.seconds(5)).retry(.none) }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(5))
        let result = await handle.result()
        #expect(result.status == .failed)
        #expect(result.error?.code == .timedOut)
        #expect(result.error?.message == "no answer within 5.0 s")
    }

    @Test func cancellingARunCancelsItsInFlightSteps() async throws {
        let provider = ScriptedProvider(fallback: .hang)
        let ledger = InMemoryLedger()
        let engine = engine(provider, ledger: ledger)
        let workflow = Workflow("cancel") {
            Parallel {
                ModelStep("a", prompt: "a")
                ModelStep("b", prompt: "b")
            }
            ModelStep("never", prompt: "c")
        }
        let handle = try await engine.start(try engine.compile(workflow), input: [:], options: RunOptions(stepTimeout: nil))
        while provider.callCount < 2 { try await Task.sleep(for: .milliseconds(2)) }
        #expect(await engine.activeRuns == [handle.id])
        #expect(await engine.cancel(handle.id))
        let result = await handle.result()
        #expect(result.status == .cancelled)
        #expect(result.error?.code == .cancelled)
        #expect(Set(result.records.map(\.key)) == ["a", "b"])
        #expect(result.records.allSatisfy { $0.status == .cancelled })
        #expect(provider.callCount == 2)
        #expect(await ledger.openReservations.isEmpty)
        #expect(await engine.activeRuns.isEmpty)
        #expect(await engine.cancel(handle.id) == false)
    }

    @Test func stepsWaitingForASlotAreCancelledToo() async throws {
        let provider = ScriptedProvider(fallback: .hang)
        let engine = engine(provider)
        let workflow = Workflow("queued") {
            ForEach("fan", over: "input.items", maxCount: 10, maxConcurrency: 10) { ModelStep("s", prompt: "{{item}}") }
        }
        let handle = try await engine.start(
            try engine.compile(workflow), input: ["items": [1, 2, 3, 4, 5]], options: RunOptions(maxConcurrency: 1, stepTimeout: nil))
        while provider.callCount < 1 { try await Task.sleep(for: .milliseconds(2)) }
        handle.cancel()
        let result = await handle.result()
        #expect(result.status == .cancelled)
        #expect(provider.callCount == 1)
    }

    @Test func eventsTellTheStoryOfARun() async throws {
        let provider = ScriptedProvider(fallback: ScriptedProvider.text("x"))
        let engine = engine(provider)
        let workflow = Workflow("events") {
            ModelStep("a", prompt: "a")
            ForEach("fan", over: "input.items", maxCount: 5) { ModelStep("b", prompt: "{{item}}") }
        }
        let handle = try await engine.start(try engine.compile(workflow), input: ["items": [1, 2]])
        let events = await handle.collectEvents()
        guard case .runStarted(let id, "events") = events.first else {
            Issue.record("first event is not runStarted: \(String(describing: events.first))")
            return
        }
        #expect(id == handle.id)
        let planned = events.compactMap { if case .callsPlanned(let total) = $0 { total } else { nil } }
        #expect(planned == [1, 3])
        #expect(events.filter { if case .stepStarted = $0 { true } else { false } }.count == 3)
        #expect(events.filter { if case .stepFinished = $0 { true } else { false } }.count == 3)
        guard case .runFinished(let summary) = events.last else {
            Issue.record("last event is not runFinished")
            return
        }
        #expect(summary.status == .succeeded)
        #expect(summary.totals.modelCalls == 3)
    }

    @Test func aResumedRunReplaysJournaledStepsWithoutCallingOrChargingThemAgain() async throws {
        let journal = InMemoryJournal()
        let ledger = InMemoryLedger()
        let workflow = Workflow("resume") {
            ModelStep("one", prompt: "1")
            ModelStep("two", prompt: "2 after {{steps.one}}")
        }
        let first = ScriptedProvider(script: [ScriptedProvider.text("first"), .fail(ProviderError(.authentication, "revoked"))])
        let engine1 = engine(first, ledger: ledger, journal: journal)
        let failed = try await engine1.run(try engine1.compile(workflow), input: [:], options: RunOptions(runID: RunID("run_fixed")))
        #expect(failed.status == .failed)

        let second = ScriptedProvider(script: [ScriptedProvider.text("second")])
        let engine2 = engine(second, ledger: ledger, journal: journal)
        let resumed = try await engine2.run(try engine2.compile(workflow), input: [:], options: RunOptions(runID: RunID("run_fixed")))
        #expect(resumed.status == .succeeded)
        #expect(resumed.records.map(\.status) == [.replayed, .succeeded])
        #expect(second.callCount == 1)
        #expect(second.requests[0].messages.last?.content == "2 after first")
        #expect(await ledger.allEntries.filter { $0.kind == .settle }.count == 2)
    }

    @Test func theRunStoreKeepsEveryRunsSummary() async throws {
        let runs = InMemoryRunStore()
        let provider = ScriptedProvider(script: [ScriptedProvider.text("ok", input: 10, output: 10), .fail(ProviderError(.invalidRequest, "no"))])
        let engine = Engine(tiers: [tier], providers: [provider], runStore: runs)
        let workflow = Workflow("stored") { ModelStep("a", prompt: "x").retry(.none) }
        let graph = try engine.compile(workflow)
        let ok = try await engine.run(graph, input: ["n": 1], options: RunOptions(tags: ["team": "support"]))
        let failed = try await engine.run(graph, input: ["n": 2])
        let stored = try #require(await runs.run(ok.id))
        #expect(stored.status == .succeeded)
        #expect(stored.tags == ["team": "support"])
        #expect(stored.input == ["n": 1])
        #expect(stored.totals.cost == Money(micros: 30))
        #expect(stored.endedAt != nil)
        #expect(await runs.run(failed.id)?.error?.code == .providerFailure)
        #expect(await runs.list(limit: 10).map(\.id) == [failed.id, ok.id])
    }

    @Test func aRunCanBeToldNotToSaveItsFinalSummary() async throws {
        let runs = InMemoryRunStore()
        let provider = ScriptedProvider(fallback: ScriptedProvider.text("ok", input: 10, output: 10))
        let engine = Engine(tiers: [tier], providers: [provider], runStore: runs)
        let graph = try engine.compile(Workflow("unsaved") { ModelStep("a", prompt: "x") })
        let quiet = try await engine.run(graph, input: [:], options: RunOptions(savesFinalSummary: false))
        #expect(quiet.status == .succeeded)
        // Saved as running when it started, and not again: its caller records the end.
        #expect(await runs.run(quiet.id)?.status == .running)
        let saved = try await engine.run(graph, input: [:])
        #expect(await runs.run(saved.id)?.status == .succeeded)
    }

    @Test func oneIDStartedTwiceAtOnceRunsOnce() async throws {
        let provider = ScriptedProvider(fallback: .hang)
        let engine = engine(provider)
        let graph = try engine.compile(Workflow("once") { ModelStep("a", prompt: "x") })
        let id = RunID("run_twice")
        let outcomes = await withTaskGroup(of: Result<RunHandle, PurserError>.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do throws(PurserError) {
                        return .success(try await engine.start(graph, input: [:], options: RunOptions(runID: id)))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let started = outcomes.compactMap { try? $0.get() }
        #expect(started.count == 1)
        for case .failure(let error) in outcomes { #expect(error.message.contains("already running")) }
        #expect(await engine.activeRuns == [id])
        #expect(await engine.cancel(id))
        #expect(await started[0].result().status == .cancelled)
        #expect(await engine.activeRuns == [RunID]())
        // The id is free again once its run has ended.
        let again = try await engine.start(graph, input: [:], options: RunOptions(runID: id))
        again.cancel()
        #expect(await again.result().status == .cancelled)
    }

    @Test func routingPicksTheCheapestTierThatMeetsTheNeeds() async throws {
        let tiers = [
            Tier.scripted("cheap-shallow", depth: .none, input: 100_000, output: 400_000),
            Tier.scripted("mid-deep", depth: .medium, input: 250_000, output: 2_000_000),
            Tier.scripted("dear-deep", depth: .high, input: 3_000_000, output: 15_000_000),
            Tier.scripted("uk-deep", depth: .high, jurisdiction: .uk, input: 5_000_000, output: 20_000_000),
        ]
        let provider = ScriptedProvider(fallback: ScriptedProvider.text("x"))
        let engine = engine(provider, tiers: tiers)
        let workflow = Workflow("route") {
            ModelStep("simple", prompt: "x")
            ModelStep("thinky", prompt: "x").needs(reasoning: .medium)
            ModelStep("deep", prompt: "x").needs(reasoning: .high)
            ModelStep("regulated", prompt: "x").needs(reasoning: .low, jurisdictions: [.uk])
        }
        let result = try await engine.run(try engine.compile(workflow), input: [:])
        #expect(result.records.map(\.tierID) == ["cheap-shallow", "mid-deep", "dear-deep", "uk-deep"])
        #expect(provider.requests.map(\.reasoningEffort) == [.none, .medium, .high, .low])
        let regulated = try #require(result.records.last?.decision)
        #expect(regulated.rejected.map(\.reason) == [.jurisdiction, .jurisdiction, .jurisdiction])
    }
}
