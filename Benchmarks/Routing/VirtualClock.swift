import Foundation
import Purser
import Synchronization

/// A clock the benchmark moves by hand, so the monitor's circuit breakers and windows see
/// simulated time (hours of traffic) while the benchmark itself takes seconds.
final class VirtualClock: PurserClock {
    private let now = Mutex(Duration.zero)
    /// 2026-01-01T00:00:00Z: wall time only labels things; nothing here depends on it.
    private static let origin = Date(timeIntervalSince1970: 1_767_225_600)

    func monotonicNow() -> Duration { now.withLock { $0 } }

    func wallNow() -> Date { Self.origin.addingTimeInterval(monotonicNow().seconds) }

    func sleep(for duration: Duration) async throws { advance(by: duration) }

    func advance(by duration: Duration) {
        now.withLock { $0 += duration }
    }
}
