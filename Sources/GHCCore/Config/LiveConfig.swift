import Synchronization

/// The live configuration: read on every request, replaceable while the server runs.
package final class LiveConfig: Sendable {
    private let value: Mutex<GHCConfig>

    /// Creates a holder.
    package init(_ config: GHCConfig) {
        value = Mutex(config)
    }

    /// The configuration now.
    package var current: GHCConfig { value.withLock { $0 } }

    /// Replaces the configuration.
    package func replace(_ config: GHCConfig) {
        value.withLock { $0 = config }
    }
}
