import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The socket file's life around the server: a file left by a server that died (SIGKILL
/// leaves it behind) is removed, but a live server's socket is never taken over; once bound,
/// the file is made the owner's alone (0600) or the owner's and one group's (0660).
enum UnixSocketFile {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// Removes a stale socket at `path`; throws if a server answers there, or if the path is
    /// something other than a socket.
    static func prepare(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard (info.st_mode & S_IFMT) == S_IFSOCK else {
            throw Problem(description: "\(path) exists and is not a socket; remove it or choose another --socket")
        }
        if accepts(path) {
            throw Problem(description: "a server is already listening on \(path)")
        }
        guard unlink(path) == 0 else {
            throw Problem(description: "cannot remove the stale socket \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Sets the bound socket's mode and group.
    static func secure(_ path: String, group: String?) throws {
        if let group {
            guard let entry = getgrnam(group) else { throw Problem(description: "unknown group '\(group)' for the socket") }
            guard chown(path, uid_t.max, entry.pointee.gr_gid) == 0 else {
                throw Problem(description: "cannot give \(path) to group \(group): \(String(cString: strerror(errno)))")
            }
        }
        guard chmod(path, group == nil ? 0o600 : 0o660) == 0 else {
            throw Problem(description: "cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Whether something accepts connections at `path`.
    static func accepts(_ path: String) -> Bool {
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            buffer.copyBytes(from: bytes)
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }
}
