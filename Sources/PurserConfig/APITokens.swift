import Crypto
import Foundation

/// Making API token secrets and the hashes `purser.yaml` keeps instead of them.
public enum APITokens {
    /// What every secret starts with, so a leaked one is easy to recognize (secret scanners,
    /// logs) and to tell apart from other credentials.
    public static let prefix = "purser_"

    /// The file, in the data directory, where the server leaves an admin token when it starts
    /// with none configured, and where the CLI looks for one last (``prefix``-style text,
    /// owner-only).
    public static let adminTokenFileName = "admin.token"

    /// A new secret: ``prefix`` then 32 random bytes (256 bits, from the system's
    /// cryptographically secure generator) as 43 characters of unpadded base64url, so it needs
    /// no escaping in a header, a shell or YAML.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        let base64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return prefix + base64
    }

    /// The SHA-256 of `token`'s UTF-8 text, as 64 lowercase hex digits.
    ///
    /// A plain hash, not a password hash: secrets are 256 random bits, so there is nothing to
    /// guess, and the server must check one per request cheaply.
    public static func hash(_ token: String) -> String {
        let digest = SHA256.hash(data: Array(token.utf8))
        var hex: [UInt8] = []
        hex.reserveCapacity(SHA256.byteCount * 2)
        for byte in digest {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// Whether `text` is what ``hash(_:)`` returns: 64 lowercase hex digits.
    static func isHash(_ text: String) -> Bool {
        text.utf8.count == SHA256.byteCount * 2 && text.utf8.allSatisfy { hexDigits.contains($0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
