import Foundation
import Hummingbird
import Purser

/// JSON answers: dates in ISO 8601 (UTC), money as decimal strings (``Money`` encodes so).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws
        -> Response
    {
        let data: Data
        do { data = try encode(value) } catch {
            throw APIProblem(.internalServerError, code: "encoding_failed", "could not encode the answer: \(error)")
        }
        return make(encoded: data, status: status, headers: headers)
    }

    /// An answer already encoded (a stored run's document).
    static func make(encoded data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `value` as the API writes JSON (dates in ISO 8601, slashes unescaped).
    static func encode(_ value: some Encodable) throws -> Data {
        try StreamingJSONEncoder(dateStrategy: .iso8601).encode(value)
    }

    static func make(json: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: json.compactJSON)))
    }
}

extension Request {
    /// A query parameter, or `nil`; present but empty counts as absent.
    func query(_ name: String) -> String? {
        guard let value = uri.queryParameters.get(name), !value.isEmpty else { return nil }
        return value
    }

    /// Refuses query parameters the route does not take, so a misspelt filter is not ignored.
    func rejectUnknownQuery(known: Set<String>) throws(APIProblem) {
        for (name, _) in uri.queryParameters where !known.contains(String(name)) {
            let expected = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
            throw APIProblem.badRequest(
                "unknown_parameter", "unknown query parameter '\(name)'; this endpoint takes \(expected)")
        }
    }
}
