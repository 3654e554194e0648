import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Just enough BSD sockets on 127.0.0.1 for the HTTP tests to find a free port, wait for a
/// server, and play a server that never answers.
public struct LoopbackSocket: ~Copyable {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    public let descriptor: Int32

    /// A TCP socket bound to 127.0.0.1 on `port` (0 lets the kernel pick one).
    public init(bindingPort port: UInt16 = 0) throws {
        #if canImport(Darwin)
        let stream = SOCK_STREAM
        #else
        let stream = Int32(SOCK_STREAM.rawValue)
        #endif
        descriptor = socket(AF_INET, stream, 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed: errno \(errno)") }
        var address = Self.loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            close(descriptor)
            throw Failure(description: "bind() failed: errno \(errno)")
        }
    }

    deinit {
        close(descriptor)
    }

    /// The port the socket is bound to.
    public var port: UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Accepts connections into the backlog without ever reading them: a server that hangs.
    public func listen() throws {
        #if canImport(Darwin)
        let result = Darwin.listen(descriptor, 8)
        #elseif canImport(Musl)
        let result = Musl.listen(descriptor, 8)
        #else
        let result = Glibc.listen(descriptor, 8)
        #endif
        guard result == 0 else { throw Failure(description: "listen() failed: errno \(errno)") }
    }

    /// A port nothing is listening on right now.
    public static func freePort() throws -> UInt16 {
        try LoopbackSocket().port
    }

    /// Whether something on 127.0.0.1 accepts a TCP connection on `port`.
    public static func accepts(port: UInt16) -> Bool {
        guard let probe = try? LoopbackSocket() else { return false }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(probe.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return result == 0
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        #if canImport(Darwin)
        address.sin_len = UInt8(MemoryLayout<sockaddr_in>.size)
        #endif
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
