import Foundation
import Purser

/// The tools Purser ships, configured in one place so a CLI or an app gets the same
/// sandboxing defaults as the tests.
public enum BuiltinTools {
    /// Every built-in tool that can work with this configuration.
    ///
    /// `search_files` is left out without a `searchRoot`, because it would have nothing to
    /// search. `http_get` is always present, so workflows that name it still compile, but with
    /// an empty `httpAllowList` it refuses every URL.
    public static func all(
        searchRoot: URL? = nil, httpAllowList: Set<String> = [],
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> [any Tool] {
        var tools: [any Tool] = [CalculatorTool(), CurrentTimeTool(now: now)]
        if let searchRoot {
            tools.append(FileSearchTool(root: searchRoot))
        }
        tools.append(HTTPGetTool(allowedHosts: httpAllowList))
        return tools
    }
}
