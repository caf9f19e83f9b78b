import GHCCore
import GHCTranslation
import GHCUpstream
import HTTPTypes
import Logging
import Synchronization

/// Turns the model a client names into the one Copilot is asked for:
/// 1. `model_mappings` (exact, then prefix) on the name as sent, which wins over everything below;
/// 2. Claude Code's spellings normalised (`claude-opus-5-5[1m]` → `claude-opus-5.5`), and the mappings tried again;
/// 3. a Claude name (or bare `opus`/`sonnet`/`haiku`) the catalog lacks → the newest catalog model of its family,
///    said once per name in the log;
/// 4. any other name as it is: Copilot's catalog can lag, and Copilot's own refusal reaches the client.
struct ModelResolver: Sendable {
    /// The configuration, catalog and logger used.
    let services: ProxyServices

    /// The Copilot model for `requested`, with its catalog entry when the catalog has one. Without a catalog (Copilot's
    /// `/models` failing) no route can be chosen: 503 with `Retry-After`, or 401 when there is no login.
    func resolve(_ requested: String) async throws(ProxyError) -> (id: String, entry: CopilotModel?) {
        let snapshot: ModelCatalogSnapshot
        do {
            snapshot = try await services.catalog.snapshot()
        } catch {
            throw Self.unavailable(error, retryAfter: services.catalog.waitAfterFailure)
        }
        let mappings = services.config.current.modelMappings
        if let mapped = mappings.match(requested) { return (mapped, snapshot.model(id: mapped)) }
        let normal = ModelNames.normalise(requested)
        if let mapped = mappings.match(normal) { return (mapped, snapshot.model(id: mapped)) }
        if let entry = snapshot.model(id: normal) { return (normal, entry) }
        guard let family = ModelNames.claudeFamily(normal),
            let newest = ModelNames.newest(of: family, among: snapshot.models.filter { !$0.isEmbedding }.map(\.id)),
            let entry = snapshot.model(id: newest)
        else { return (normal, nil) }
        if services.fallbackNotices.firstTime(requested) {
            services.logger.info("model '\(requested)' is not in Copilot's catalog; using '\(newest)', the newest \(family) model")
        }
        return (newest, entry)
    }

    /// The answer when the catalog cannot be had.
    static func unavailable(_ error: UpstreamError, retryAfter: Int?) -> ProxyError {
        switch error {
        case .notLoggedIn, .githubTokenRejected, .cancelled:
            return ProxyForwarding.proxyError(for: error)
        default:
            var headers: HTTPFields = [:]
            if let retryAfter { headers[.retryAfter] = String(retryAfter) }
            return ProxyError(
                .serviceUnavailable,
                type: "upstream_error",
                code: "model_catalog_unavailable",
                message: "Copilot's model catalog could not be loaded (\(error.description)); ghc-api keeps retrying",
                headers: headers
            )
        }
    }
}

/// Names already reported, so that a fallback is logged once per name and not on every request.
package final class OnceSet: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// Creates an empty set.
    package init() {}

    /// Whether `name` is new (it is remembered from now on).
    func firstTime(_ name: String) -> Bool {
        seen.withLock { $0.insert(name).inserted }
    }
}
