import GHCCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Copilot's model catalog at one moment.
package struct ModelCatalogSnapshot: Sendable {
    /// The `/models` answer as Copilot sent it.
    package let raw: JSONValue
    /// The entries with an id, in Copilot's order.
    package let models: [CopilotModel]
    /// When it was fetched.
    package let fetchedAt: Date

    /// Creates a snapshot from a `/models` answer.
    package init(raw: JSONValue, fetchedAt: Date) {
        self.raw = raw
        self.models = (raw["data"]?.arrayValue ?? []).compactMap(CopilotModel.init)
        self.fetchedAt = fetchedAt
    }

    /// The entry with exactly this id.
    package func model(id: String) -> CopilotModel? {
        models.first { $0.id == id }
    }
}

/// The model catalog, fetched from Copilot's `/models` and kept for `lifetime`; concurrent callers share a fetch.
///
/// A catalog that cannot be loaded does not slow every request down: the last good one is kept and served while a
/// new one loads in the background, and after a failure the next attempt waits (1, 2, 4 … 60 s), callers meanwhile
/// getting the failure at once. A missing login is not waited out: it is checked again on every call.
package struct ModelCatalog: Sendable {
    private let api: CopilotAPI
    private let lifetime: Duration
    private let now: @Sendable () -> Date
    private let cache = SingleFlight<ModelCatalogSnapshot>()
    private let failure = LastFailure()

    /// The longest wait between failed loads.
    static let maxBackoff = 60

    /// Creates a catalog.
    /// - Parameter lifetime: how long a fetched catalog is used before it is refreshed.
    package init(api: CopilotAPI, lifetime: Duration = .seconds(600), now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.lifetime = lifetime
        self.now = now
    }

    /// The catalog: the cached one while fresh; a stale one at once while a new one loads in the background; else a
    /// load (or, within the wait after a failed load, that failure). `refresh` loads now whatever the state.
    package func snapshot(refresh: Bool = false) async throws(UpstreamError) -> ModelCatalogSnapshot {
        if !refresh, let current = await cache.current {
            if isFresh(current) { return current }
            if waitAfterFailure == nil { Task { _ = try? await load(force: true) } }
            return current
        }
        if !refresh, let waiting = failure.state.withLock({ $0 }), waiting.retryAt > now() { throw waiting.error }
        return try await load(force: refresh)
    }

    /// Seconds until the next load may start after a failure, or `nil` when none is pending.
    package var waitAfterFailure: Int? {
        failure.state.withLock { pending in
            guard let pending else { return nil }
            let seconds = Int(pending.retryAt.timeIntervalSince(now()).rounded(.up))
            return seconds > 0 ? seconds : nil
        }
    }

    /// The last fetched catalog, without fetching.
    package var cached: ModelCatalogSnapshot? {
        get async { await cache.current }
    }

    /// Keeps the catalog loaded until cancelled: loads it, retries a failed load after its wait, and refreshes it
    /// before it goes stale, so requests rarely wait for `/models`.
    package func keepFresh() async {
        while !Task.isCancelled {
            let pause: Duration
            do {
                _ = try await load(force: true)
                pause = lifetime * 0.9
            } catch {
                pause = .seconds(waitAfterFailure ?? 1)
            }
            do { try await Task.sleep(for: pause) } catch { return }
        }
    }

    private func isFresh(_ snapshot: ModelCatalogSnapshot) -> Bool {
        now().timeIntervalSince(snapshot.fetchedAt) < Double(lifetime.components.seconds)
    }

    /// Loads the catalog (shared by concurrent callers); the outcome of each load, not of each waiting caller, moves
    /// the wait after failures along.
    private func load(force: Bool) async throws(UpstreamError) -> ModelCatalogSnapshot {
        let now = self.now
        let api = self.api
        let failure = self.failure
        let lifetime = Double(self.lifetime.components.seconds)
        do {
            let isFresh: (ModelCatalogSnapshot) -> Bool = { now().timeIntervalSince($0.fetchedAt) < lifetime }
            return try await cache.value(
                force: force,
                isFresh: isFresh,
                load: {
                    do {
                        let snapshot = try await Self.fetch(api, now: now)
                        failure.record(nil, now: now())
                        return snapshot
                    } catch {
                        failure.record(UpstreamError.from(error, url: "/models"), now: now())
                        throw error
                    }
                }
            )
        } catch {
            throw .from(error, url: "/models")
        }
    }

    /// One `GET /models`.
    private static func fetch(_ api: CopilotAPI, now: () -> Date) async throws -> ModelCatalogSnapshot {
        let response = try await api.get("/models")
        let url = "/models"
        guard (200..<300).contains(response.status) else {
            throw UpstreamError.status(url: url, code: response.status, body: Redaction.scrub(String(response.text.prefix(300))))
        }
        let json = try response.json(url: url)
        guard json["data"]?.arrayValue != nil else { throw UpstreamError.invalidResponse(url: url, reason: "no `data` list") }
        return ModelCatalogSnapshot(raw: json, fetchedAt: now())
    }
}

/// The last failed load of the catalog and when the next may start, shared by the copies of a `ModelCatalog`.
private final class LastFailure: Sendable {
    /// A failed load.
    struct Failure {
        var error: UpstreamError
        var attempts: Int
        var retryAt: Date
    }

    let state = Mutex<Failure?>(nil)

    /// Notes how a load ended: `nil` (success, or a missing login, which is checked again at once) clears the wait;
    /// a failure doubles it, up to `ModelCatalog.maxBackoff` seconds.
    func record(_ error: UpstreamError?, now: Date) {
        state.withLock { pending in
            switch error {
            case nil, .notLoggedIn?, .githubTokenRejected?, .cancelled?:
                pending = nil
            case let error?:
                let attempts = (pending?.attempts ?? 0) + 1
                let wait = RetryPolicy.exponential(attempts - 1, capSeconds: ModelCatalog.maxBackoff)
                pending = Failure(error: error, attempts: attempts, retryAt: now.addingTimeInterval(Double(wait.components.seconds)))
            }
        }
    }
}
