import Foundation
import Purser
import PurserTestKit
import Testing

@testable import PurserTools

@Suite("built-in tools")
struct BuiltinToolsTests {
    @Test("the factory offers every tool that can work with its configuration")
    func factory() throws {
        let folder = try TemporaryDirectory(prefix: "purser-builtin")
        #expect(BuiltinTools.all().map(\.name).sorted() == ["calculator", "current_time", "http_get"])
        let configured = BuiltinTools.all(searchRoot: folder.url, httpAllowList: ["example.com"])
        #expect(configured.map(\.name).sorted() == ["calculator", "current_time", "http_get", "search_files"])

        let http = try #require(configured.first { $0.name == "http_get" } as? HTTPGetTool)
        #expect(http.allowedHosts == ["example.com"])
        let search = try #require(configured.first { $0.name == "search_files" } as? FileSearchTool)
        #expect(search.root == folder.url)
    }

    /// Only tools that wait on nothing skip the engine's timeout race; file search and HTTP
    /// can block, so they are raced.
    @Test("only the tools that cannot wait say they finish promptly")
    func promptness() throws {
        let folder = try TemporaryDirectory(prefix: "purser-prompt")
        let tools = BuiltinTools.all(searchRoot: folder.url, httpAllowList: ["example.com"])
        #expect(Set(tools.filter(\.finishesPromptly).map(\.name)) == ["calculator", "current_time"])
    }

    @Test("the factory passes the clock on")
    func clock() async throws {
        let tools = BuiltinTools.all(now: { Date(timeIntervalSince1970: 86_400) })
        let time = try #require(tools.first { $0.name == "current_time" })
        #expect(try await time.invoke([:])["iso8601"] == "1970-01-02T00:00:00Z")
    }

    /// The simulator invents arguments from these examples, so an invalid one would make
    /// simulated runs fail in ways no real model would.
    @Test(
        "every schema example conforms to its schema",
        arguments: ["calculator", "current_time", "http_get", "search_files"])
    func examplesConform(name: String) throws {
        let folder = try TemporaryDirectory(prefix: "purser-examples")
        let tool = try #require(
            BuiltinTools.all(searchRoot: folder.url, httpAllowList: ["example.com"]).first { $0.name == name })
        let schema = tool.argumentsSchema
        #expect(!schema.examples.isEmpty, "\(name) has no examples")
        for example in schema.examples {
            #expect(schema.violations(of: example).isEmpty, "\(name): \(example.compactJSON)")
        }
        for (property, propertySchema) in schema.properties {
            for example in propertySchema.examples {
                #expect(
                    propertySchema.violations(of: example).isEmpty, "\(name).\(property): \(example.compactJSON)")
            }
            // The simulator builds an object from each property's examples when it does not use the whole example.
            #expect(!propertySchema.examples.isEmpty, "\(name).\(property) has no examples")
        }
        #expect(schema.type == .object)
        #expect(!schema.additionalProperties)
        #expect(!tool.description.isEmpty)
        #expect(tool.definition.name == name)
    }

    @Test("invoking with the first example succeeds", arguments: ["calculator", "current_time", "search_files"])
    func firstExampleRuns(name: String) async throws {
        let folder = try TemporaryDirectory(prefix: "purser-examples")
        try folder.write("policy.md", "Our refund policy: 30 days.")
        let tool = try #require(BuiltinTools.all(searchRoot: folder.url).first { $0.name == name })
        let example = try #require(tool.argumentsSchema.examples.first)
        let result = try await tool.validatedInvoke(example)
        #expect(result.objectValue?.isEmpty == false)
        // Each property example in place of the first example's value, as the simulator may combine them.
        for (key, property) in tool.argumentsSchema.properties {
            for value in property.examples {
                var arguments = try #require(example.objectValue)
                arguments[key] = value
                _ = try await tool.validatedInvoke(.object(arguments))
            }
        }
    }

    @Test("http_get's example passes its own allow-list check for its host")
    func httpExample() throws {
        let tool = HTTPGetTool(allowedHosts: ["example.com"])
        let example = try #require(tool.argumentsSchema.examples.first?["url"]?.stringValue)
        #expect(tool.refusal(for: try #require(URL(string: example))) == nil)
    }
}
