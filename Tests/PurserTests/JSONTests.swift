import Purser
import Testing

@Suite("JSON values and schemas")
struct JSONTests {
    @Test func parsesAndPrintsCompactly() throws {
        let value = try JSONValue(parsing: #" { "b": [1, 2.5, true, null], "a": "x\"y\u00e9\ud83d\ude00" } "#)
        #expect(value["a"] == .string("x\"yé😀"))
        #expect(value.compactJSON == #"{"a":"x\"yé😀","b":[1,2.5,true,null]}"#)
    }

    /// Escapes land exactly where they belong, whatever surrounds them: at the ends, side by
    /// side, between multi-byte characters, and before a combining mark (with which the quote
    /// is one character).
    @Test(arguments: [
        ("", #""""#),
        ("plain", #""plain""#),
        ("\"", #""\"""#),
        ("\"\"\\", #""\"\"\\""#),
        ("a\nb\tc\r", #""a\nb\tc\r""#),
        ("\u{1}x\u{1f}", #""\u0001x\u001f""#),
        ("é\"😀\"é", #""é\"😀\"é""#),
        ("\"\u{301}x", "\"\\\"\u{301}x\""),
        ("e\u{301}\n", "\"e\u{301}\\n\""),
    ])
    func escapesStringsExactly(text: String, json: String) throws {
        #expect(JSONValue.string(text).compactJSON == json)
        #expect(try JSONValue(parsing: json) == .string(text))
    }

    @Test(arguments: [
        ("", 0), ("{", 1), ("[1,]", 3), (#"{"a" 1}"#, 5), ("tru", 0), ("01", 1), ("1 2", 2), (#""\ud800""#, 7),
        ("\"a\nb\"", 2), ("[1e]", 3),
    ] as [(String, Int)])
    func reportsWhereJSONGoesWrong(text: String, offset: Int) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            (error as? JSONParseError)?.offset == offset
        }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func walksPaths() throws {
        let value = try JSONValue(parsing: #"{"a": {"list": [{"n": 1}, {"n": 2}]}}"#)
        #expect(value.value(at: ["a", "list", "1", "n"]) == .number(2))
        #expect(value.value(at: ["a", "list", "5"]) == nil)
        #expect(value.value(at: ["a", "missing"]) == nil)
    }

    @Test func roundTripsThroughCodable() throws {
        let value: JSONValue = ["n": 1.5, "s": "t", "a": [true, nil]]
        let data = try JSONEncoderForTests.encode(value)
        #expect(try JSONValue(parsing: String(decoding: data, as: UTF8.self)) == value)
    }

    @Test func schemaReportsEveryViolation() {
        let schema = JSONSchema.object([
            "name": .string(maxLength: 5),
            "age": .integer(minimum: 0, maximum: 150),
            "tags": .array(of: .string(), maxItems: 2),
            "kind": .string(oneOf: ["a", "b"]),
        ])
        let value: JSONValue = ["name": "toolong", "age": 2.5, "tags": ["x", 1, "z"], "extra": true]
        let problems = schema.violations(of: value)
        #expect(problems.contains("$: missing required property 'kind'"))
        #expect(problems.contains("$: unexpected property 'extra'"))
        #expect(problems.contains("$.name: longer than 5 characters"))
        #expect(problems.contains("$.age: expected an integer, got 2.5"))
        #expect(problems.contains("$.tags: 3 items, more than 2"))
        #expect(problems.contains("$.tags[1]: expected string, got integer"))
        #expect(problems.count == 6)
        #expect(schema.violations(of: ["name": "ok", "age": 30, "tags": [], "kind": "a"]).isEmpty)
    }

    @Test func schemaRoundTripsThroughJSONSchemaDocuments() throws {
        let schema = JSONSchema.object(
            ["q": .string("query", examples: ["x"]), "n": .integer(minimum: 1)], required: ["q"])
        #expect(try JSONSchema(jsonValue: schema.jsonValue) == schema)
        #expect(throws: SchemaError.self) { try JSONSchema(jsonValue: ["type": "banana"]) }
    }
}
