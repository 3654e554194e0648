/// The ledger's log restarts: each is a checkpoint the writer runs between two commits (see
/// `BackgroundCheckpointer`), and the writes queued meanwhile wait for it, so how long they
/// take is how long a busy server's ledger stands still.
public struct LogRestarts: Sendable, Hashable {
    /// Restarts the writer ran so far (one that a reader put off, to be asked again, counts too).
    public private(set) var count = 0
    /// The longest a restart held the writes.
    public private(set) var longest = Duration.zero
    /// All of them together.
    public private(set) var total = Duration.zero

    mutating func record(_ pause: Duration) {
        count += 1
        longest = max(longest, pause)
        total += pause
    }
}
