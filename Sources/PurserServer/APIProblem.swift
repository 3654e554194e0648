import Foundation
import Hummingbird
import Purser

/// An error the API answers with: an RFC 9457 problem document (`application/problem+json`)
/// whose `code` is stable, for programs to branch on, and whose `detail` says precisely what
/// was wrong, for people.
public struct APIProblem: Error, HTTPResponseError, Sendable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    /// Stable, snake_case: `invalid_json`, `unknown_field`, `budget_exceeded`, ...
    public let code: String
    public let detail: String
    /// Where in the request body the problem is (`$.input.ticket`), when it is in the body.
    public let pointer: String?
    /// Seconds to wait before trying again (429, 503).
    public let retryAfter: Int?
    /// Anything else a client may act on (the existing run of an idempotency key, ...).
    public let extra: [String: String]
    /// Headers the answer carries besides the problem (`Allow` with a 405).
    public let headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status, code: String, _ detail: String, pointer: String? = nil, retryAfter: Int? = nil,
        extra: [String: String] = [:], headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.detail = detail
        self.pointer = pointer
        self.retryAfter = retryAfter
        self.extra = extra
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(detail)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        return Response(
            status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.compactJSON)))
    }

    /// The problem document. Built from `JSONValue`, which cannot fail to encode.
    public var document: JSONValue {
        var document: [String: JSONValue] = [
            "type": .string("https://purser.dev/problems/\(code)"),
            "title": .string(status.reasonPhrase),
            "status": .number(Double(status.code)),
            "code": .string(code),
            "detail": .string(detail),
        ]
        if let pointer { document["pointer"] = .string(pointer) }
        if let retryAfter { document["retryAfter"] = .number(Double(retryAfter)) }
        for (key, value) in extra where document[key] == nil { document[key] = .string(value) }
        return .object(document)
    }
}

extension APIProblem {
    static func badRequest(_ code: String, _ detail: String, pointer: String? = nil) -> APIProblem {
        APIProblem(.badRequest, code: code, detail, pointer: pointer)
    }

    static func notFound(_ code: String, _ detail: String) -> APIProblem {
        APIProblem(.notFound, code: code, detail)
    }

    static let unauthorized = APIProblem(
        .unauthorized, code: "unauthorized",
        "send 'Authorization: Bearer <token>' with a token from 'purser auth token create'")
}

