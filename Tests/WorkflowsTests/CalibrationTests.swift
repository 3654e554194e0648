import Purser
import Testing
import Workflows

/// Runs example workflows many times on the simulator, estimating each run before it starts,
/// and checks the estimates against what the runs cost.
@Suite("Calibration")
struct CalibrationTests {
    static let tickets: [(String, String)] = [
        ("Charged twice", "I was charged twice for the annual plan, please refund the duplicate."),
        ("Login broken", "Since this morning nobody on our team can log in; we get error 500 on the sign-in page."),
        ("Invoice VAT", "Our invoice shows VAT although our VAT number is on file."),
        ("Cancel plan", "How do I cancel my monthly plan and will I get a refund for this month?"),
        ("Suspicious login", "I got an email about a login from a country I have never visited. Is my account safe?"),
    ]

    func ticket(_ run: Int) -> JSONValue {
        let (subject, body) = Self.tickets[run % Self.tickets.count]
        let detail = String(repeating: " More detail follows.", count: run % 7)
        return ["ticket": ["subject": .string("\(subject) #\(run)"), "body": .string(body + detail)]]
    }

    func clauses(_ run: Int) -> JSONValue {
        let texts = [
            "The Supplier's total liability shall be unlimited.", "Payment is due within 90 days.",
            "Either party may terminate on 30 days' notice.", "Personal data may be processed anywhere.",
            "The agreement renews automatically every three years.", "Governing law is the law of Mars.",
        ]
        let count = 1 + run % texts.count
        return [
            "contract": [
                "title": .string("Agreement \(run)"),
                "clauses": .array((0..<count).map { ["id": .string("\($0 + 1)"), "text": .string(texts[($0 + run) % texts.count])] }),
            ]
        ]
    }

    @Test(arguments: ["support-triage", "contract-review", "research-agent"])
    func p95CoversAtLeastNinetyPercentAfterTwentyRuns(workflow name: String) async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)], tools: ExampleWorkflows.tools())
        let workflow = try #require(ExampleWorkflows.named(name))
        let graph = try engine.compile(workflow)
        for run in 0..<25 {
            let input: JSONValue =
                switch name {
                case "support-triage": ticket(run)
                case "contract-review": clauses(run)
                default: ["question": .string("Question \(run): what does \(run + 10) Business seats cost a year?")]
                }
            let result = try await engine.run(graph, input: input)
            #expect(result.status == .succeeded)
            #expect(result.estimate != nil)
        }
        let history = await engine.history.snapshot
        let report = try #require(CalibrationReport.reports(from: history.calibration, workflow: name).first)
        #expect(report.runs == 25)
        #expect(report.p95Coverage >= 0.9, "p95 covered \(report.p95Coverage) of runs")
        #expect(report.worstCaseCoverage == 1)
        #expect(report.expectedCostMAPE < 1, "MAPE \(report.expectedCostMAPE)")
    }
}
