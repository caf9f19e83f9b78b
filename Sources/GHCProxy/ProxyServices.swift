import GHCCore
import GHCUpstream
import Hummingbird
import Logging

/// What the proxy routes need: configuration, the Copilot client and the model catalog.
package struct ProxyServices: Sendable {
    /// The live configuration.
    package let config: LiveConfig
    /// Streamed calls to Copilot.
    package let copilot: CopilotClient
    /// The model catalog.
    package let catalog: ModelCatalog
    /// Records every request.
    package let recorder: Recorder
    /// The server's logger.
    package let logger: Logger
    /// Model names whose fallback to a family's newest model was already logged.
    let fallbackNotices = OnceSet()

    /// Creates the services.
    package init(config: LiveConfig, copilot: CopilotClient, catalog: ModelCatalog, recorder: Recorder, logger: Logger) {
        self.config = config
        self.copilot = copilot
        self.catalog = catalog
        self.recorder = recorder
        self.logger = logger
    }

    /// The Copilot model for a client's model name; when there is none to be had (no catalog), the request is
    /// recorded with its refusal, so the dashboard shows it, before the error goes back in `dialect`.
    func resolve(
        _ model: String,
        for request: Request,
        caller: Caller,
        body: JSONRequestBody,
        dialect: APIDialect
    ) async throws(ProxyError) -> (id: String, entry: CopilotModel?) {
        do {
            return try await resolve(model)
        } catch {
            let refusal = error.in(dialect)
            recorder.start(request, caller: caller, body: body, model: model, mapped: model, upstreamBody: body.bytes).fail(
                refusal
            )
            throw refusal
        }
    }

    /// The Copilot model for a client's model name (see `ModelResolver`).
    func resolve(_ requested: String) async throws(ProxyError) -> (id: String, entry: CopilotModel?) {
        try await ModelResolver(services: self).resolve(requested)
    }
}
