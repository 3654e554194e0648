import Foundation
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One GET that stops reading at a byte limit and vets every redirect.
///
/// `URLSession.data(for:)` would read a body of any size into memory before we could
/// truncate it, and would follow a redirect to any host; a delegate lets us cancel
/// at the limit and refuse a hop off the allow-list.
final class BoundedDownload: NSObject, URLSessionDataDelegate, Sendable {
    struct Outcome: Sendable {
        var response: HTTPURLResponse?
        var body: Data
        var truncated: Bool
    }

    enum Failure: Error {
        /// A redirect pointed somewhere the caller does not allow; the message says why.
        case redirectRefused(String)
        case transport(any Error)
    }

    private struct State {
        var continuation: CheckedContinuation<Outcome, any Error>?
        var body = Data()
        var truncated = false
        var refusal: String?
    }

    private let maximumBytes: Int
    /// Returns why a redirect target is refused, or `nil` to follow it.
    private let vetRedirect: @Sendable (URL) -> String?
    private let state = Mutex(State())

    private init(maximumBytes: Int, vetRedirect: @escaping @Sendable (URL) -> String?) {
        self.maximumBytes = maximumBytes
        self.vetRedirect = vetRedirect
    }

    static func get(
        _ url: URL, timeout: TimeInterval, maximumBytes: Int, vetRedirect: @escaping @Sendable (URL) -> String?
    ) async throws(Failure) -> Outcome {
        let download = BoundedDownload(maximumBytes: maximumBytes, vetRedirect: vetRedirect)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        let session = URLSession(configuration: configuration, delegate: download, delegateQueue: nil)
        // The session retains its delegate until invalidated; invalidating breaks that cycle.
        defer { session.invalidateAndCancel() }

        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "GET"
        let task = session.dataTask(with: request)
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { continuation in
                    download.state.withLock { $0.continuation = continuation }
                    task.resume()
                }
            } onCancel: {
                task.cancel()
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .transport(error)
        }
    }

    // MARK: - URLSessionDataDelegate

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let reachedLimit = state.withLock { state -> Bool in
            guard !state.truncated else { return false }
            let room = maximumBytes - state.body.count
            if data.count > room {
                state.body.append(data.prefix(max(room, 0)))
                state.truncated = true
                return true
            }
            state.body.append(data)
            return false
        }
        // The cancellation ends the task with an error, which `didCompleteWithError` reads as "truncated".
        if reachedLimit { dataTask.cancel() }
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        guard let target = Self.redirectTarget(of: response, proposed: request.url) else {
            completionHandler(nil)
            return
        }
        if let refusal = vetRedirect(target) {
            // Declining ends the task with the 3xx; `didCompleteWithError` turns that into the refusal.
            // The session must get its answer before the caller can invalidate it, so no early finish here.
            state.withLock { $0.refusal = refusal }
            completionHandler(nil)
            return
        }
        var next = request
        next.url = target
        completionHandler(next)
    }

    /// The one place a download finishes, so the continuation is resumed exactly once and only
    /// after the session is done with its callbacks.
    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let (continuation, outcome, refusal) = state.withLock { state in
            defer { state.continuation = nil }
            return (
                state.continuation,
                Outcome(response: task.response as? HTTPURLResponse, body: state.body, truncated: state.truncated),
                state.refusal
            )
        }
        guard let continuation else { return }
        if let refusal {
            continuation.resume(throwing: Failure.redirectRefused(refusal))
        } else if let error, !outcome.truncated {
            continuation.resume(throwing: Failure.transport(error))
        } else {
            continuation.resume(returning: outcome)
        }
    }

    /// Where a redirect really points. FoundationNetworking on Linux resolves a relative
    /// `Location` wrongly (`/sub/` from `/sub` loses its slash and loops forever), so the header
    /// is resolved here against the URL that answered; that is also the URL the vetting must see.
    static func redirectTarget(of response: HTTPURLResponse, proposed: URL?) -> URL? {
        guard let location = response.value(forHTTPHeaderField: "Location"),
            let target = URL(string: location, relativeTo: response.url ?? proposed)?.absoluteURL
        else { return proposed }
        return target
    }
}
