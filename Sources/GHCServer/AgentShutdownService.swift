import GHCAgent
import ServiceLifecycle

/// Ends every agent session when the server shuts down: each agent gets its stdin closed, then SIGTERM, then
/// SIGKILL, and its session file records `terminated` (ghc-api 1.0.31 left its agents running).
struct AgentShutdownService: Service {
    /// The sessions.
    let registry: SessionRegistry

    /// Waits for graceful shutdown, then ends the sessions.
    func run() async throws {
        try? await gracefulShutdown()
        await registry.shutdown()
    }
}
