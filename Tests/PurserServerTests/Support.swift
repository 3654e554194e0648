import Foundation
import Purser
import PurserClient
import Workflows

/// Request bodies and answers the server tests share.
enum API {
    static func runBody(
        _ workflow: String, input: JSONValue? = nil, key: String? = nil, tags: [String: String] = [:],
        budget: JSONValue? = nil
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "workflow": .string(workflow),
            "input": input ?? ExampleWorkflows.named(workflow)?.exampleInput ?? .object([:]),
        ]
        if let key { body["idempotencyKey"] = .string(key) }
        if !tags.isEmpty { body["tags"] = .object(tags.mapValues(JSONValue.string)) }
        if let budget { body["budget"] = budget }
        return .object(body)
    }
}

extension ClientResponse {
    /// A member of the JSON body, `nil` if absent or not JSON.
    subscript(_ key: String) -> JSONValue? { (try? json())?.objectValue?[key] }

    /// The problem document's `code`.
    var code: String? { self["code"]?.stringValue }
}
