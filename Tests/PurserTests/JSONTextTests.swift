import Foundation
import Purser
import Testing

@Suite("JSON text laid out for people")
struct JSONTextTests {
    @Test func keepsEveryDigitOfA64BitNumber() throws {
        let text = try JSONText.pretty(Array(#"{"seed":5797665935258165286,"b":[1,-2.5e-7,true,null],"a":"x/y"}"#.utf8))
        #expect(text.contains(#""seed": 5797665935258165286"#))
        #expect(text.contains("-2.5e-7"))
        // Through JSONValue the same number is rounded to a Double: what this type exists to avoid.
        #expect(!(try JSONValue(parsing: #"{"seed":5797665935258165286}"#)).prettyJSON.contains("5797665935258165286"))
    }

    @Test func laysOutLikeJSONValue() throws {
        let document = #"{"z":{"b":[],"a":{}},"a":["q\"uote",{"k":1}],"m":"line\nbreak é"}"#
        #expect(try JSONText.pretty(Array(document.utf8)) == (try JSONValue(parsing: document)).prettyJSON)
    }

    @Test func anEstimatesSeedSurvivesTheCLIsLayout() async throws {
        let engine = Engine(providers: [SimulatedProvider(speed: .instant)])
        let graph = try engine.compile(Workflow("seeded") { ModelStep("a", prompt: "Hi").maxOutputTokens(10) })
        let estimate = try await engine.estimate(graph, input: .object([:]), seed: .max - 1)
        let text = try JSONText.pretty(encoding: estimate)
        #expect(text.contains("\"seed\": \(UInt64.max - 1)"))
        let value = try JSONValue(parsing: text)
        #expect(value["workflow"] == "seeded")
    }

    @Test(arguments: ["", "{", "[1,]", #"{"a" 1}"#, "tru", #"{"a":1} x"#, #""open"#])
    func refusesWhatIsNotJSON(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONText.pretty(Array(text.utf8)) }
    }
}
