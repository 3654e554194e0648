/// The error a call that ran out of time raises inside the engine.
struct CallTimedOut: Error {
    let after: Duration
}

/// Runs `operation`, cancelling it if `timeout` passes first. With no timeout it simply runs.
func withTimeout<T: Sendable>(
    _ timeout: Duration?, clock: any PurserClock, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let timeout else { return try await operation() }
    return try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await clock.sleep(for: timeout)
            throw CallTimedOut(after: timeout)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
