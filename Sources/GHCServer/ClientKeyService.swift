import GHCKeys
import Logging
import ServiceLifecycle

/// Keeps the server's client keys current and their usage saved: the keys file is looked at every half second,
/// so a key made or revoked with `ghc-api keys` counts within a second; usage is written every few seconds and on
/// shutdown.
struct ClientKeyService: Service {
    /// The keys the server accepts.
    let keys: LiveClientKeys
    /// Where a keys file that cannot be used is reported.
    let logger: Logger
    /// Time between two looks at the keys file.
    var interval: Duration = .milliseconds(500)
    /// Looks between two saves of the usage file.
    var looksPerSave = 6

    /// Watches until graceful shutdown, then saves the usage counted since the last save.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            var looks = 0
            while (try? await Task.sleep(for: interval)) != nil {
                if let problem = keys.reloadIfChanged() {
                    logger.warning("\(problem); the keys read before stay in force")
                }
                looks += 1
                if looks % looksPerSave == 0 { save() }
            }
        }
        save()
    }

    /// Saves the usage file, logging a failure.
    private func save() {
        do { try keys.saveUsage() } catch { logger.warning("client key usage not saved: \(error)") }
    }
}
