#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A TCP address on this machine's loopback interface: `server.listen`.
///
/// The API speaks plain HTTP with bearer tokens, so it must not be reachable from the
/// network: a deployment that needs remote callers puts a TLS proxy in front.
public struct LoopbackAddress: Sendable, Hashable, CustomStringConvertible {
    /// `127.0.0.1` (any `127.x.y.z`), `::1` (without brackets) or `localhost`.
    public var host: String
    /// 1 to 65535.
    public var port: Int

    /// Parses `127.0.0.1:8088`, `[::1]:8088` or `localhost:8088`.
    public init(parsing text: String) throws(Problem) {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw Problem("expected [IPv6]:PORT such as [::1]:8088, got '\(text)'")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                let hint = text.contains(":") ? " (write an IPv6 address in brackets: [::1]:8088)" : ""
                throw Problem("expected HOST:PORT such as 127.0.0.1:8088, got '\(text)'\(hint)")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !portText.isEmpty, portText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let port = Int(portText),
            (1...65535).contains(port)
        else {
            throw Problem("the port must be a number from 1 to 65535, got '\(portText)' in '\(text)'")
        }
        guard Self.isLoopback(String(host)) else {
            throw Problem(
                "'\(host)' is not a loopback address; the API has no TLS, so it listens only on 127.0.0.1, [::1] "
                    + "or localhost (put a TLS proxy in front for other machines)")
        }
        self.host = String(host)
        self.port = port
    }

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// As written in `purser.yaml`: `127.0.0.1:8088`, `[::1]:8088`.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// `localhost`, an IPv4 address in 127.0.0.0/8, or the IPv6 address ::1 (however written).
    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" { return true }
        var ipv4 = in_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 {
            // s_addr is in network byte order: its first byte in memory is the first octet.
            return withUnsafeBytes(of: ipv4) { $0[0] } == 127
        }
        var ipv6 = in6_addr()
        if inet_pton(AF_INET6, host, &ipv6) == 1 {
            return withUnsafeBytes(of: ipv6) { bytes in bytes.dropLast().allSatisfy { $0 == 0 } && bytes.last == 1 }
        }
        return false
    }

    /// Why a text is not a loopback address.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String

        init(_ message: String) {
            self.message = message
        }

        public var description: String { message }
    }
}
