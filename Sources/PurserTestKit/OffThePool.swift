import Foundation

/// Runs blocking work (waiting for a child process, reading a pipe to its end, sleeping between
/// signals) on a thread of its own and awaits the result.
///
/// Why: Swift Testing runs every test on the cooperative pool, which has one thread per core.
/// On a two-core machine two tests blocked in `waitUntilExit()` stall every other test, so
/// time-sensitive tests elsewhere measure the stall instead of what they test.
public func offThePool<Result: Sendable>(
    _ work: @escaping @Sendable () throws -> Result
) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try work()) } catch { continuation.resume(throwing: error) }
        }
        thread.start()
    }
}
