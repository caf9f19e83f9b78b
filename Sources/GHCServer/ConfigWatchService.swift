import GHCCore
import Logging
import ServiceLifecycle

/// Applies `config.yaml` when it changes on disk (a `sync pull`, an editor), without a restart: the new file is
/// checked first, and one that cannot be used is logged in one line while the server keeps its settings.
struct ConfigWatchService: Service {
    /// The file watched.
    let file: String
    /// The configuration the routes read.
    let config: LiveConfig
    /// Values set on the command line (`-p`, `--demo`), which win over the file as they did at start.
    let overrides: [String: JSONValue]
    /// Where changes are reported.
    let logger: Logger
    /// Time between two looks at the file.
    var interval: Duration = .seconds(1)

    /// Watches until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            var applied = FileSignature.of(file)
            var previous = applied
            while (try? await Task.sleep(for: interval)) != nil {
                let now = FileSignature.of(file)
                defer { previous = now }
                // Applied once the file stops changing for a look: never half of a write.
                guard now == previous, now != applied else { continue }
                applied = now
                apply()
            }
        }
    }

    /// Loads, checks and applies the file.
    func apply() {
        do {
            guard let text = try FileStore.readText(file) else { return }
            var (loaded, _) = try GHCConfig.load(ConfigDocument(path: file, text: text))
            for (key, value) in overrides { loaded.override(key, value) }
            let restartOnly = ["address", "port", "api_keys", "history_enabled"].filter { loaded.value($0) != config.current.value($0) }
            config.replace(loaded)
            let note = restartOnly.isEmpty ? "" : "; \(restartOnly.joined(separator: ", ")) take effect after a restart"
            logger.notice("\(file) changed; its settings apply now\(note)")
        } catch {
            logger.warning("\(file) changed but cannot be used (\(error)); keeping the settings it had before")
        }
    }
}
