import Foundation
import Purser

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Lets an agent read a web page or an API, but only on hosts the operator named: a model
/// steered by a hostile document must not be able to reach internal services or send data
/// anywhere it likes. The same check applies to every redirect, and bodies are capped so a
/// huge download cannot blow the context window (or the bill).
public struct HTTPGetTool: Tool {
    public static let defaultTimeout: TimeInterval = 10
    public static let defaultMaximumBodyBytes = 256 * 1024

    public let name = "http_get"
    public let description = """
        Fetches a URL with an HTTP GET and returns the status, content type and body text. \
        Only http and https URLs on the allowed hosts work.
        """

    /// Lower-cased host names; an empty set refuses every URL.
    public let allowedHosts: Set<String>
    /// Seconds for the whole fetch; on Linux rounded up to whole seconds (at least 1).
    public let timeout: TimeInterval
    public let maximumBodyBytes: Int

    public init(
        allowedHosts: Set<String>, timeout: TimeInterval = HTTPGetTool.defaultTimeout,
        maximumBodyBytes: Int = HTTPGetTool.defaultMaximumBodyBytes
    ) {
        self.allowedHosts = Set(allowedHosts.map(Self.normalizedHost))
        #if canImport(FoundationNetworking)
        // FoundationNetworking truncates timeouts to whole seconds: 0.5 would time out at once.
        self.timeout = max(1, timeout.rounded(.up))
        #else
        self.timeout = max(0.001, timeout)
        #endif
        self.maximumBodyBytes = max(0, maximumBodyBytes)
    }

    public var argumentsSchema: JSONSchema {
        var schema = JSONSchema.object([
            "url": .string("The http or https URL to fetch", maxLength: 2048, examples: ["https://example.com/"])
        ])
        schema.examples = [["url": "https://example.com/"]]
        return schema
    }

    public func invoke(_ arguments: JSONValue) async throws -> JSONValue {
        guard let text = arguments["url"]?.stringValue else {
            throw ToolError(tool: name, message: "missing the string argument 'url'")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw ToolError(tool: name, message: "the url is empty")
        }
        guard let url = URL(string: trimmed) else {
            throw ToolError(tool: name, message: "'\(trimmed)' is not a valid URL")
        }
        if let refusal = refusal(for: url) {
            throw ToolError(tool: name, message: refusal)
        }

        let outcome: BoundedDownload.Outcome
        do throws(BoundedDownload.Failure) {
            let allowedHosts = allowedHosts
            outcome = try await BoundedDownload.get(
                url, timeout: timeout, maximumBytes: maximumBodyBytes,
                vetRedirect: { Self.refusal(for: $0, allowedHosts: allowedHosts) })
        } catch .redirectRefused(let reason) {
            throw ToolError(tool: name, message: "refused to follow a redirect from \(trimmed): \(reason)")
        } catch .transport(let error) {
            if let urlError = error as? URLError, urlError.code == .cancelled { throw CancellationError() }
            throw ToolError(tool: name, message: describe(error, fetching: trimmed), isRetryable: true)
        }
        guard let response = outcome.response else {
            throw ToolError(tool: name, message: "no HTTP response from \(trimmed)", isRetryable: true)
        }
        let contentType = response.value(forHTTPHeaderField: "Content-Type") ?? ""
        let kind = contentType.isEmpty ? "content" : contentType
        let body =
            Self.text(of: outcome.body, truncated: outcome.truncated)
            ?? "(\(outcome.body.count) bytes of \(kind) not shown: not UTF-8 text)"
        return [
            "status": .number(Double(response.statusCode)),
            "contentType": .string(contentType),
            "body": .string(body),
            "truncated": .bool(outcome.truncated),
        ]
    }

    // MARK: - The allow-list

    /// Why this tool will not fetch `url`, or `nil` when it may.
    public func refusal(for url: URL) -> String? {
        Self.refusal(for: url, allowedHosts: allowedHosts)
    }

    static func refusal(for url: URL, allowedHosts: Set<String>) -> String? {
        let scheme = url.scheme?.lowercased() ?? ""
        guard scheme == "http" || scheme == "https" else {
            return scheme.isEmpty
                ? "'\(url.absoluteString)' has no scheme; only http and https URLs are allowed"
                : "the scheme '\(scheme)' is not allowed; only http and https URLs are"
        }
        // Credentials in a URL end up in logs and traces; and `https://allowed.com@evil.com/` is a classic trick.
        guard url.user == nil, url.password == nil else {
            return "URLs with user info (user:password@) are not allowed"
        }
        guard let rawHost = url.host, !rawHost.isEmpty else {
            return "'\(url.absoluteString)' has no host"
        }
        let host = normalizedHost(rawHost)
        guard allowedHosts.contains(host) else {
            let allowed =
                allowedHosts.isEmpty
                ? "the allow-list is empty" : "allowed: " + allowedHosts.sorted().joined(separator: ", ")
            return "the host '\(host)' is not in the allow-list (\(allowed))"
        }
        return nil
    }

    /// `Example.COM.` and `example.com` are the same host; comparing raw strings would let either slip past.
    static func normalizedHost(_ host: String) -> String {
        var host = host.trimmingCharacters(in: .whitespaces).lowercased()
        while host.hasSuffix(".") { host.removeLast() }
        return host
    }

    // MARK: - The body

    /// The body as text, or `nil` for binary content. A truncated body may end inside a
    /// multi-byte character, so up to three trailing bytes are given up before calling it binary.
    static func text(of data: Data, truncated: Bool) -> String? {
        guard !data.contains(0) else { return nil }
        if let text = String(validating: data, as: UTF8.self) { return text }
        guard truncated else { return nil }
        for drop in 1...3 where drop <= data.count {
            if let text = String(validating: data.dropLast(drop), as: UTF8.self) { return text }
        }
        return nil
    }

    private func describe(_ error: any Error, fetching url: String) -> String {
        if let urlError = error as? URLError, urlError.code == .timedOut {
            return "fetching \(url) timed out after \(JSONValue.number(timeout).compactJSON) s"
        }
        return "could not fetch \(url): \(error.localizedDescription)"
    }
}
