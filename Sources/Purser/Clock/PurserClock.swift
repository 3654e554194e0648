import Foundation

/// Where the engine gets time from: a monotonic reading for latency and timeouts, the wall
/// clock for timestamps and budget periods, and sleeping. Injected, so tests control time.
public protocol PurserClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    func monotonicNow() -> Duration
    /// Wall-clock time (UTC).
    func wallNow() -> Date
    /// Suspends for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The real clock.
public struct SystemClock: PurserClock {
    private let origin = ContinuousClock.now

    public init() {}

    public func monotonicNow() -> Duration { origin.duration(to: .now) }
    public func wallNow() -> Date { Date() }
    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension Duration {
    /// Seconds as a `Double`, for display and latency arithmetic (never for money).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    public static func seconds(_ value: Double) -> Duration {
        .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
