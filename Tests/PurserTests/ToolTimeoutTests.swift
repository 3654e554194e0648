import Purser
import PurserTestKit
import Testing

/// A tool's timeout is raced in a child task unless the tool says it finishes promptly.
@Suite("Tool timeouts")
struct ToolTimeoutTests {
    struct Echo: Tool {
        let name = "echo"
        let description = "Returns its arguments."
        let argumentsSchema = JSONSchema.object(["text": .string()])
        let finishesPromptly: Bool

        func invoke(_ arguments: JSONValue) async throws -> JSONValue { arguments }
    }

    func run(_ tool: Echo, clock: ManualClock) async throws -> RunResult {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: [tool], clock: clock)
        let workflow = Workflow("echo") {
            ToolStep("say", tool: "echo", arguments: ["text": "hello"]).timeout(.seconds(5))
        }
        return try await engine.run(try engine.compile(workflow), input: .object([:]), options: RunOptions(estimate: false))
    }

    @Test func aPromptToolIsCalledWithoutATimer() async throws {
        let clock = ManualClock()
        let result = try await run(Echo(finishesPromptly: true), clock: clock)
        #expect(result.status == .succeeded)
        #expect(result.output == ["text": "hello"])
        #expect(clock.sleepRequests.isEmpty)
    }

    @Test func anyOtherToolIsRacedAgainstItsTimeout() async throws {
        let clock = ManualClock()
        let result = try await run(Echo(finishesPromptly: false), clock: clock)
        #expect(result.status == .succeeded)
        #expect(clock.sleepRequests == [.seconds(5)])
    }
}
