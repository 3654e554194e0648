#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// CPU time used so far (user and system), by the whole process or by the calling thread: the
/// load generator runs in the server's process, on the same cores, so the server's share is the
/// process's time minus its client threads'.
enum CPUTime {
    static func process() -> Duration { read(CLOCK_PROCESS_CPUTIME_ID) }
    static func thread() -> Duration { read(CLOCK_THREAD_CPUTIME_ID) }

    private static func read(_ clock: clockid_t) -> Duration {
        var time = timespec()
        guard clock_gettime(clock, &time) == 0 else { return .zero }
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }
}
