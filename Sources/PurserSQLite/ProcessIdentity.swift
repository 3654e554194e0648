import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which process holds a reservation, precisely enough to tell after a crash whether it is
/// still alive: a pid alone is not, because the kernel reuses pids, so the process's start
/// time (clock ticks since boot, `/proc/PID/stat` field 22) and the boot id are kept with it.
///
/// Every process that shares a ledger file must see the same pids (one host, one pid
/// namespace): a process in another container would look dead, and its open reservations
/// would be reconciled while it still runs (its later settle would then fail, loudly).
struct ProcessIdentity: Sendable, Hashable {
    var pid: Int32
    /// Start time in clock ticks after boot; 0 where the platform does not say (not Linux).
    var startTicks: Int64
    /// `/proc/sys/kernel/random/boot_id`; empty where the platform does not say.
    var bootID: String

    /// This process.
    static let current = ProcessIdentity(
        pid: getpid(), startTicks: startTicks(of: getpid()) ?? 0, bootID: bootID() ?? "")

    /// Whether the process is still running. A process that exited but was not yet waited for
    /// (a zombie, as a SIGKILLed child is until its parent reaps it) counts as dead: it will
    /// never settle anything again.
    var isAlive: Bool {
        if !bootID.isEmpty, let now = Self.bootID(), now != bootID { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
            guard let stat = Self.stat(of: pid) else { return true }
            if stat.state == "Z" || stat.state == "X" { return false }
            if startTicks != 0, stat.startTicks != startTicks { return false }
        #endif
        return true
    }

    private static func bootID() -> String? {
        #if os(Linux)
            guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else {
                return nil
            }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        #else
            return nil
        #endif
    }

    static func startTicks(of pid: Int32) -> Int64? {
        stat(of: pid)?.startTicks
    }

    /// The state letter and start time from `/proc/PID/stat`. The command name (field 2) may
    /// hold spaces and parentheses, so fields are counted after its closing parenthesis.
    private static func stat(of pid: Int32) -> (state: Character, startTicks: Int64)? {
        #if os(Linux)
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = text.lastIndex(of: ")")
            else { return nil }
            let fields = text[text.index(after: close)...].split(separator: " ")
            // fields[0] is field 3 (state), so field 22 (starttime) is fields[19].
            guard fields.count > 19, let state = fields[0].first, let start = Int64(fields[19]) else { return nil }
            return (state, start)
        #else
            return nil
        #endif
    }
}
