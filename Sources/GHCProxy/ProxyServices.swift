import GHCCore
import GHCUpstream
import Logging

/// What the proxy routes need: configuration, the Copilot client and the model catalog.
public struct ProxyServices: Sendable {
    /// The live configuration.
    public let config: LiveConfig
    /// Streamed calls to Copilot.
    public let copilot: CopilotClient
    /// The model catalog.
    public let catalog: ModelCatalog
    /// Records every request.
    public let recorder: Recorder
    /// The server's logger.
    public let logger: Logger
    /// Model names whose fallback to a family's newest model was already logged.
    let fallbackNotices = OnceSet()

    /// Creates the services.
    public init(config: LiveConfig, copilot: CopilotClient, catalog: ModelCatalog, recorder: Recorder, logger: Logger) {
        self.config = config
        self.copilot = copilot
        self.catalog = catalog
        self.recorder = recorder
        self.logger = logger
    }

    /// The Copilot model for a client's model name (see `ModelResolver`).
    func resolve(_ requested: String) async throws(ProxyError) -> (id: String, entry: CopilotModel?) {
        try await ModelResolver(services: self).resolve(requested)
    }
}
