import GHCCore
import GHCTranslation
import GHCUpstream
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

    /// The Copilot model for `requested`, with its catalog entry when the catalog has one.
    func resolve(_ requested: String) async -> (id: String, entry: CopilotModel?) {
        let mappings = services.config.current.modelMappings
        if let mapped = mappings.match(requested) { return (mapped, await services.model(mapped)) }
        let normal = ModelNames.normalise(requested)
        if let mapped = mappings.match(normal) { return (mapped, await services.model(mapped)) }
        guard let snapshot = try? await services.catalog.snapshot() else { return (normal, nil) }
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
}

/// Names already reported, so that a fallback is logged once per name and not on every request.
public final class OnceSet: Sendable {
    private let seen = Mutex<Set<String>>([])

    /// Creates an empty set.
    public init() {}

    /// Whether `name` is new (it is remembered from now on).
    func firstTime(_ name: String) -> Bool {
        seen.withLock { $0.insert(name).inserted }
    }
}
