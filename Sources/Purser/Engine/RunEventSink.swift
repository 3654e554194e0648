/// Where a run's events go as they happen, when the caller takes them directly instead of
/// from ``RunHandle/events``.
///
/// The handle's stream costs a lock, a buffer and a wake-up of the reading task for every
/// event; a server that only appends each event to its own log (five events a one-step run,
/// thousands of runs a second) pays that for nothing. A sink is called in order, from the
/// run's own tasks, and must return quickly: the run waits for it.
public struct RunEventSink: Sendable {
    let send: @Sendable (RunEvent) -> Void
    /// Called after the run's last event.
    let end: @Sendable () -> Void

    public init(_ send: @escaping @Sendable (RunEvent) -> Void) {
        self.send = send
        end = {}
    }

    /// The sink behind ``RunHandle/events``: it feeds the stream and ends it with the run.
    init(_ stream: AsyncStream<RunEvent>.Continuation) {
        send = { stream.yield($0) }
        end = { stream.finish() }
    }
}
