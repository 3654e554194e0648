import Purser
import PurserTestKit
import Testing

@Suite("Simulator")
struct SimulatorTests {
    let provider = SimulatedProvider(speed: .instant)
    let nano = SimulatorCatalog.tiers.first { $0.id == "sim-nano" }!
    let frontier = SimulatorCatalog.tiers.first { $0.id == "sim-frontier" }!

    @Test func theCatalogHasTiersFromSmallAndFastToLargeAndDeep() {
        let tiers = SimulatorCatalog.tiers
        #expect(tiers.count >= 4)
        #expect(Set(tiers.map(\.reasoningDepth)) == Set(ReasoningDepth.allCases))
        #expect(Set(tiers.map(\.jurisdiction)).isSuperset(of: [.us, .eu, .uk]))
        let realTime = tiers.filter { !$0.batch }
        let cheapest = realTime.min { $0.pricing.outputPerMillion < $1.pricing.outputPerMillion }!
        let dearest = realTime.max { $0.pricing.outputPerMillion < $1.pricing.outputPerMillion }!
        #expect(cheapest.reasoningDepth == .none)
        #expect(dearest.reasoningDepth == .high)
        #expect(cheapest.latency.timeToFirstTokenP50 < dearest.latency.timeToFirstTokenP50)
        // Each batch tier is its real-time twin at half price.
        for batch in tiers where batch.batch {
            let twin = realTime.first { $0.model == batch.model }!
            #expect(batch.pricing.inputPerMillion.micros * 2 == twin.pricing.inputPerMillion.micros)
            #expect(batch.pricing.outputPerMillion.micros * 2 == twin.pricing.outputPerMillion.micros)
            #expect(batch.reasoningDepth == twin.reasoningDepth && batch.jurisdiction == twin.jurisdiction)
        }
    }

    @Test func sameRequestSameAnswer() async throws {
        let request = ModelRequest(messages: [.user("Summarise the refund policy for annual plans")], maxOutputTokens: 400)
        let first = try await provider.complete(request, on: nano)
        let second = try await provider.complete(request, on: nano)
        #expect(first == second)
        #expect(!first.text.isEmpty)
        let other = try await provider.complete(
            ModelRequest(messages: [.user("Something else entirely, about invoices")], maxOutputTokens: 400), on: nano)
        #expect(other.text != first.text)
    }

    @Test func answersGrowWithThePromptAndStayWithinTheBound() async throws {
        let short = try await provider.complete(ModelRequest(messages: [.user("Hi there")], maxOutputTokens: 2000), on: nano)
        let longPrompt = String(repeating: "The contract clause limits liability for indirect damages. ", count: 200)
        let long = try await provider.complete(ModelRequest(messages: [.user(longPrompt)], maxOutputTokens: 2000), on: nano)
        #expect(long.usage.outputTokens > short.usage.outputTokens)
        #expect(long.usage.inputTokens > short.usage.inputTokens)
        for bound in [1, 10, 50] {
            let capped = try await provider.complete(ModelRequest(messages: [.user(longPrompt)], maxOutputTokens: bound), on: nano)
            #expect(capped.usage.outputTokens <= bound)
        }
    }

    @Test func usageIsCountedConsistentlyWithTheTokenCounter() async throws {
        let counter = ApproximateTokenCounter()
        let request = ModelRequest(messages: [.system("Be terse."), .user("Explain budgets")], maxOutputTokens: 500)
        let response = try await provider.complete(request, on: nano)
        #expect(response.usage.inputTokens == counter.count("Be terse.") + 4 + counter.count("Explain budgets") + 4)
        #expect(response.usage.outputTokens == counter.count(response.text))
        #expect(response.usage.reasoningTokens == 0)
    }

    @Test(arguments: [ReasoningDepth.low, .medium, .high])
    func reasoningTiersThinkMoreAtGreaterDepth(depth: ReasoningDepth) async throws {
        let request = ModelRequest(messages: [.user("Plan the migration")], maxOutputTokens: 8000, reasoningEffort: depth)
        let response = try await provider.complete(request, on: frontier)
        let range: ClosedRange<Int> =
            switch depth {
            case .low: 64...192
            case .medium: 256...768
            default: 1024...3072
            }
        #expect(range.contains(response.usage.reasoningTokens))
        #expect(response.usage.outputTokens >= response.usage.reasoningTokens)
        // A tier that cannot reason does not.
        let shallow = try await provider.complete(request, on: nano)
        #expect(shallow.usage.reasoningTokens == 0)
    }

    @Test func jsonAnswersConformToTheSchema() async throws {
        let schema = JSONSchema.object([
            "category": .string(oneOf: ["billing", "bug", "other"]),
            "confidence": .number(minimum: 0, maximum: 1),
            "steps": .array(of: .string(), minItems: 1, maxItems: 4),
            "urgent": .boolean(),
            "count": .integer(minimum: 1, maximum: 3),
        ])
        for prompt in ["a", "b", "c", "d", "e", "f", "g", "h"] {
            let response = try await provider.complete(
                ModelRequest(messages: [.user("ticket \(prompt)")], maxOutputTokens: 300, outputSchema: schema), on: nano)
            let value = try JSONValue(parsing: response.text)
            #expect(schema.violations(of: value).isEmpty, "\(value.compactJSON)")
        }
    }

    @Test func toolsOfferedGetToolCallsThenAnAnswer() async throws {
        let tool = ToolDefinition(
            name: "calculator", description: "maths",
            parameters: .object(["expression": .string(examples: ["2 + 2"])]))
        var messages: [ChatMessage] = [.user("What is 2 + 2?")]
        var rounds = 0
        while true {
            let response = try await provider.complete(
                ModelRequest(messages: messages, tools: [tool], maxOutputTokens: 300), on: nano)
            if response.toolCalls.isEmpty {
                #expect(!response.text.isEmpty)
                break
            }
            rounds += 1
            #expect(response.toolCalls.allSatisfy { $0.name == "calculator" && $0.arguments == ["expression": "2 + 2"] })
            messages.append(ChatMessage(role: .assistant, content: response.text, toolCalls: response.toolCalls))
            for call in response.toolCalls {
                messages.append(ChatMessage(role: .tool, content: #"{"result":4}"#, toolCallID: call.id))
            }
            #expect(rounds <= 3)
            if rounds > 3 { break }
        }
        #expect((1...3).contains(rounds))
    }

    @Test func itTakesAsLongAsTheLatencyModelSays() async throws {
        let clock = ManualClock()
        let realTime = SimulatedProvider(speed: .realTime, clock: clock)
        let request = ModelRequest(messages: [.user("Say something")], maxOutputTokens: 200)
        let task = Task { try await realTime.complete(request, on: nano) }
        try await clock.waitForSleepers(1)
        let slept = try #require(clock.sleepRequests.first).seconds
        clock.advance(by: .seconds(60))
        let response = try await task.value
        let ttft = try #require(response.timeToFirstToken)
        #expect(ttft >= nano.latency.timeToFirstTokenP50)
        #expect(abs(slept - (ttft + Double(response.usage.outputTokens) / nano.latency.outputTokensPerSecond)) < 0.001)
    }

    @Test func theSimulatorEnforcesTheCallTimeoutItself() async throws {
        let clock = ManualClock()
        let slow = SimulatedProvider(speed: .realTime, clock: clock)
        #expect(slow.enforcesTimeout)
        let engine = Engine(tiers: [nano], providers: [slow], clock: clock)
        // The estimate expects an answer that fits in 2.5 s; this prompt draws a longer one.
        let longPrompt = String(repeating: "Summarise every clause of the migration plan in detail. ", count: 400)
        let workflow = Workflow("slow") {
            ModelStep("write", prompt: Template(longPrompt)).timeout(.milliseconds(2500)).retry(.none)
        }
        let handle = try await engine.start(try engine.compile(workflow), input: [:])
        try await clock.waitForSleepers(1)
        #expect(clock.sleepRequests == [.milliseconds(2500)])  // no timer task of the engine's: one sleep, the provider's
        clock.advance(by: .milliseconds(2500))
        let result = await handle.result()
        #expect(result.status == .failed)
        #expect(result.error?.code == .timedOut)
        #expect(result.records.first?.status == .failed)
    }

    @Test(.timeLimit(.minutes(1)))
    func cancellationStopsASimulatedCall() async throws {
        // A hundred times slower than real time: a call of a few seconds takes minutes, so it is
        // still in flight when the test cancels it, however long a loaded machine keeps this
        // task from resuming after its short sleep (at real time, a CI run once finished the
        // call first, 32 seconds later, and the test saw an answer instead of the cancellation).
        let slow = SimulatedProvider(speed: .scaled(0.01))
        let task = Task { try await slow.complete(ModelRequest(messages: [.user("x")], maxOutputTokens: 5000), on: frontier) }
        try await Task.sleep(for: .milliseconds(20))
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func everyReservationCoversWhatItsCallWasCharged() async throws {
        // Agent loops resend earlier tool calls; the engine must count them in the worst case
        // it reserves exactly as the provider counts them in the usage it reports. Answers are
        // held to 8 tokens so they use their whole bound and any undercount shows.
        let ledger = InMemoryLedger()
        let look = RecordingTool(name: "look", schema: .object(["text": .string(examples: ["a long argument to look up"])])) {
            _, _ in ["found": .string(String(repeating: "result ", count: 200))]
        }
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: [look], ledger: ledger)
        let workflow = Workflow("loop") {
            AgentLoop("agent", prompt: "Find out about {{input.q}}", tools: ["look"], maxIterations: 5).maxOutputTokens(8)
        }
        for question in ["a", "b", "c", "d", "e", "f"] {
            let result = try await engine.run(try engine.compile(workflow), input: ["q": .string(question)])
            #expect(result.status == .succeeded)
        }
        let entries = await ledger.allEntries
        let reserved = Dictionary(uniqueKeysWithValues: entries.filter { $0.kind == .reserve }.map { ($0.reservationID, $0) })
        let settled = entries.filter { $0.kind == .settle }
        #expect(settled.count > 6)
        for entry in settled {
            let reservation = try #require(reserved[entry.reservationID])
            #expect(entry.amount <= reservation.amount, "\(entry.stepKey)")
            #expect(entry.tokens <= reservation.tokens, "\(entry.stepKey)")
        }
    }

    @Test func engineRunsOnTheSimulatorByDefault() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let workflow = Workflow("default") {
            ModelStep("classify", prompt: "Classify {{input.text}}").needs(latency: .interactive)
                .output(.object(["label": .string(oneOf: ["a", "b"])]))
            ModelStep("explain", prompt: "Explain {{steps.classify.label}}").needs(reasoning: .medium)
        }
        let result = try await engine.run(try engine.compile(workflow), input: ["text": "hello"])
        #expect(result.status == .succeeded)
        #expect(result.records.map(\.tierID) == ["sim-nano", "sim-mini"])
        #expect(result.totals.cost > .zero)
    }
}
