/// Where the server finds the files it syncs: its environment and the user's home.
package struct SyncEnvironment: Sendable {
    /// The process environment (`USER`, `WSL_DISTRO_NAME`).
    package var environment: [String: String]
    /// The home folder (`~/.claude`, `~/.codex`).
    package var home: String

    /// Creates a sync environment.
    package init(environment: [String: String], home: String) {
        self.environment = environment
        self.home = home
    }
}
