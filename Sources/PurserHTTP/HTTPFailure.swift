import Foundation
import Purser

/// HTTP failures as the engine's retry and fallback understand them.
enum HTTPFailure {
    /// The kind of failure an HTTP status means; the message is the provider's.
    static func error(status: Int, message: String, retryAfter: Double?) -> ProviderError {
        let text = "HTTP \(status): \(message)"
        switch status {
        case 401, 403: return ProviderError(.authentication, text)
        case 408: return ProviderError(.timeout, text, retryAfter: retryAfter)
        case 429: return ProviderError(.rateLimited, text, retryAfter: retryAfter)
        case 503, 529: return ProviderError(.overloaded, text, retryAfter: retryAfter)
        case 500...599: return ProviderError(.serverError, text, retryAfter: retryAfter)
        default: return ProviderError(.invalidRequest, text)
        }
    }

    /// `Retry-After` in seconds: a number of seconds, or an HTTP date.
    static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// `text` with every occurrence of `secret` blanked, so no error or log line carries a key.
    static func redacting(_ secret: String?, in text: String) -> String {
        guard let secret, secret.count >= 4 else { return text }
        return text.replacingOccurrences(of: secret, with: "[redacted]")
    }
}
