import Foundation
import Purser
import PurserTools

/// The example workflows that ship with Purser, compiled in, and the tools they call.
public enum ExampleWorkflows {
    /// Every example, in the order `purser workflows` lists them.
    public static let all: [Workflow] = [
        supportTriage, contractReview, researchAgent, executiveBrief, contactCenter, creditDecision, plannerExecutor,
    ]

    /// The example named `name`, if there is one.
    public static func named(_ name: String) -> Workflow? {
        all.first { $0.name == name }
    }

    /// The folder of policy documents the examples search (shipped with the package).
    public static var knowledgeBase: URL? {
        Bundle.module.url(forResource: "KnowledgeBase", withExtension: nil)
    }

    /// The built-in tools, with file search over ``knowledgeBase`` and HTTP GET allowed to no host.
    public static func tools(searchRoot: URL? = nil, httpAllowList: Set<String> = []) -> [any Tool] {
        BuiltinTools.all(searchRoot: searchRoot ?? knowledgeBase, httpAllowList: httpAllowList)
    }
}
