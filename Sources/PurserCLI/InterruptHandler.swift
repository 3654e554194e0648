import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Set by the SIGINT handler; a signal handler can only touch global, lock-free state.
private let interruptReceived = Atomic<Bool>(false)

/// Turns Ctrl-C (SIGINT) into a clean cancellation of the run, so it stops its calls,
/// releases its reservations and still prints what it did.
///
/// The handler is installed with `signal(2)`, synchronously, so no interrupt that arrives
/// after `init` returns is lost (a Dispatch signal source registers asynchronously, and a
/// signal in that window would be ignored); a watcher task polls the flag.
final class InterruptHandler {
    private let watcher: Task<Void, Never>

    init(_ onInterrupt: @escaping @Sendable () -> Void) {
        interruptReceived.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in interruptReceived.store(true, ordering: .relaxed) }
        watcher = Task {
            while !Task.isCancelled {
                if interruptReceived.load(ordering: .relaxed) {
                    onInterrupt()
                    return
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    func stop() {
        watcher.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
