import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Copilot's model catalog at one moment.
public struct ModelCatalogSnapshot: Sendable {
    /// The `/models` answer as Copilot sent it.
    public let raw: JSONValue
    /// The entries with an id, in Copilot's order.
    public let models: [CopilotModel]
    /// When it was fetched.
    public let fetchedAt: Date

    /// Creates a snapshot from a `/models` answer.
    public init(raw: JSONValue, fetchedAt: Date) {
        self.raw = raw
        self.models = (raw["data"]?.arrayValue ?? []).compactMap(CopilotModel.init)
        self.fetchedAt = fetchedAt
    }

    /// The entry with exactly this id.
    public func model(id: String) -> CopilotModel? {
        models.first { $0.id == id }
    }
}

/// The model catalog, fetched from Copilot's `/models` and kept for `lifetime`; concurrent callers share a fetch.
public struct ModelCatalog: Sendable {
    private let api: CopilotAPI
    private let lifetime: Duration
    private let now: @Sendable () -> Date
    private let cache = SingleFlight<ModelCatalogSnapshot>()

    /// Creates a catalog.
    /// - Parameter lifetime: how long a fetched catalog is used before the next call fetches again.
    public init(api: CopilotAPI, lifetime: Duration = .seconds(600), now: @escaping @Sendable () -> Date = { Date() }) {
        self.api = api
        self.lifetime = lifetime
        self.now = now
    }

    /// The catalog, fetched when missing, older than its lifetime, or when `refresh` is set.
    public func snapshot(refresh: Bool = false) async throws(UpstreamError) -> ModelCatalogSnapshot {
        let seconds = Double(lifetime.components.seconds)
        let now = self.now
        let api = self.api
        do {
            return try await cache.value(force: refresh, isFresh: { now().timeIntervalSince($0.fetchedAt) < seconds }) {
                let response = try await api.get("/models")
                let url = "/models"
                guard (200..<300).contains(response.status) else {
                    throw UpstreamError.status(url: url, code: response.status, body: Redaction.scrub(String(response.text.prefix(300))))
                }
                let json = try response.json(url: url)
                guard json["data"]?.arrayValue != nil else { throw UpstreamError.invalidResponse(url: url, reason: "no `data` list") }
                return ModelCatalogSnapshot(raw: json, fetchedAt: now())
            }
        } catch {
            throw .from(error, url: "/models")
        }
    }

    /// The last fetched catalog, without fetching.
    public var cached: ModelCatalogSnapshot? {
        get async { await cache.current }
    }
}
