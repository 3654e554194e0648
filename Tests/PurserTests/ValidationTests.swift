import Purser
import PurserTestKit
import Testing

@Suite("Workflow validation")
struct ValidationTests {
    typealias Kind = WorkflowValidationError.Problem.Kind

    func problems(_ workflow: Workflow, tools: [String]? = nil, tiers: [Tier]? = nil) -> [WorkflowValidationError.Problem] {
        let registry = tools.map { ToolRegistry($0.map { RecordingTool(name: $0) }) }
        do {
            _ = try WorkflowGraph(compiling: workflow, tools: registry, tiers: tiers)
            return []
        } catch {
            return error.problems
        }
    }

    @Test func collectsEveryProblemAtOnce() {
        let workflow = Workflow("broken") {
            ModelStep("a", prompt: "uses {{steps.c}} and {{steps.nope}}")
            ModelStep("a", prompt: "duplicate")
            ForEach("fan", over: "input.list") {
                ModelStep("inner", prompt: "{{item}}")
            }
            AgentLoop("loop", prompt: "go", tools: ["missing-tool"])
            ModelStep("c", prompt: "later")
        }
        let found = problems(workflow, tools: ["calculator"])
        #expect(found.map(\.kind) == [
            .laterReference, .unknownReference, .duplicateStepID, .unboundedFanOut, .unboundedLoop, .unknownTool,
        ])
        #expect(found.map(\.stepID) == ["a", "a", "a", "fan", "loop", "loop"])
        #expect(found[0].message == "refers to step 'c', which runs later")
        #expect(found[1].message == "refers to unknown step 'nope'")
    }

    @Test func theErrorListsAllProblemsInItsMessage() throws {
        let workflow = Workflow("two") {
            ModelStep("x", prompt: "{{steps.y}}")
            ToolStep("t", tool: "nope")
        }
        let error = try #require(throws: WorkflowValidationError.self) {
            try WorkflowGraph(compiling: workflow, tools: ToolRegistry())
        }
        #expect(error.description.hasPrefix("workflow 'two' has 2 problems:"))
        #expect(error.description.contains("step 'x': refers to unknown step 'y'"))
        #expect(error.description.contains("step 't': unknown tool 'nope'"))
    }

    @Test func parallelSiblingsCannotSeeEachOther() {
        let workflow = Workflow("siblings") {
            Parallel {
                ModelStep("left", prompt: "L")
                ModelStep("right", prompt: "{{steps.left}}")
            }
            ModelStep("after", prompt: "{{steps.left}} {{steps.right}}")
        }
        let found = problems(workflow)
        #expect(found.map(\.kind) == [.invisibleReference])
        #expect(found.first?.stepID == "right")
    }

    @Test func forEachBodiesAndBranchArmsAreNotVisibleOutside() {
        let workflow = Workflow("scopes") {
            ForEach("fan", over: "input.list", maxCount: 5) {
                ModelStep("inner", prompt: "{{item}}")
            }
            Branch("pick", if: .exists("input.flag")) {
                ModelStep("armstep", prompt: "x")
            }
            ModelStep("after", prompt: "{{steps.inner}} {{steps.armstep}} {{steps.fan}} {{steps.pick}}")
        }
        #expect(problems(workflow).map(\.kind) == [.invisibleReference, .invisibleReference])
    }

    @Test func itemAndIndexOnlyInsideForEach() {
        let workflow = Workflow("items") {
            ModelStep("a", prompt: "{{item.name}} {{index}}")
        }
        #expect(problems(workflow).map(\.kind) == [.unknownReference, .unknownReference])
    }

    @Test func selfReferencesAndMalformedTemplates() {
        let workflow = Workflow("bad-templates") {
            ModelStep("a", prompt: "{{steps.a}}")
            ModelStep("b", prompt: "open {{input.x")
            ModelStep("c", prompt: "{{output.x}}")
            ModelStep("d", prompt: "{{steps}}")
            ForEach("e", over: "not-a-ref", maxCount: 2) { ModelStep("f", prompt: "x") }
        }
        #expect(problems(workflow).map(\.kind) == [
            .laterReference, .malformedTemplate, .malformedTemplate, .malformedTemplate, .malformedTemplate,
        ])
    }

    @Test func invalidBoundsAndIDs() {
        let workflow = Workflow("bounds") {
            ForEach("fan", over: "input.list", maxCount: 0, maxConcurrency: 0) { ModelStep("in", prompt: "x") }
            AgentLoop("loop", prompt: "x", tools: [], maxIterations: 0)
            ModelStep("bad id", prompt: "x").maxOutputTokens(0)
            ModelStep("dotted.id", prompt: "x")
        }
        #expect(problems(workflow).map(\.kind) == [
            .invalidBound, .invalidBound, .invalidBound, .unknownTool, .invalidBound, .invalidStepID,
            .invalidStepID,
        ])
    }

    @Test func emptyWorkflowsAreRefused() {
        #expect(problems(Workflow("empty") {}).map(\.kind) == [.emptyWorkflow])
    }

    @Test func needsNoTierCouldMeetAreReported() {
        let tiers = [
            Tier.scripted("shallow-us", depth: .low, jurisdiction: .us),
            Tier.scripted("deep-slow-uk", depth: .high, jurisdiction: .uk, ttft: 5),
        ]
        let workflow = Workflow("needs", jurisdictions: [.uk, .us]) {
            // Needs high depth interactively: the deep tier is too slow, the fast one too shallow.
            ModelStep("deep-fast", prompt: "x").needs(latency: .interactive, reasoning: .high)
            // Allowed only in the EU, but the workflow allows only the UK and US.
            ModelStep("eu-only", prompt: "x").needs(jurisdictions: [.eu])
            // Only an agent loop can call tools.
            ModelStep("wants-tools", prompt: "x").needs(capabilities: [.tools])
            // Feasible: the UK tier at standard latency.
            ModelStep("ok", prompt: "x").needs(latency: .standard, reasoning: .high)
        }
        let found = problems(workflow, tiers: tiers)
        #expect(found.map(\.stepID) == ["deep-fast", "eu-only", "wants-tools"])
        #expect(found.allSatisfy { $0.kind == .unsatisfiableNeeds })
        #expect(found[0].message.contains("deep-slow-uk: tooSlow"))
        #expect(found[0].message.contains("shallow-us: tooShallow"))
    }

    @Test func subworkflowProblemsAreReportedUnderTheirStep() {
        let inner = Workflow("inner") { ModelStep("x", prompt: "{{steps.ghost}}") }
        let outer = Workflow("outer") { Subworkflow("call", workflow: inner, input: [:]) }
        let found = problems(outer)
        #expect(found.count == 1)
        #expect(found.first?.stepID == "call")
        #expect(found.first?.message.contains("in sub-workflow 'inner'") == true)
    }
}
