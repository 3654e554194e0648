import Logging
import Purser

/// Writes the server's learned history to the data directory every interval in which a run
/// taught it something, so a server that is killed keeps what it learned up to its last save.
struct HistorySaver: Sendable {
    let store: HistoryStore
    let history: EstimateHistory
    let logger: Logger

    /// Saves until the task is cancelled.
    func run(every interval: Duration) async {
        var saved = await history.lessons
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            let (snapshot, lessons) = await history.countedSnapshot
            guard lessons != saved else { continue }
            do {
                try store.replace(with: snapshot)
                saved = lessons
            } catch {
                logger.warning("could not save the learned history: \(error.message)")
            }
        }
    }
}
