import Synchronization

/// The live configuration: read on every request, replaceable while the server runs.
public final class LiveConfig: Sendable {
    private let value: Mutex<GHCConfig>

    /// Creates a holder.
    public init(_ config: GHCConfig) {
        value = Mutex(config)
    }

    /// The configuration now.
    public var current: GHCConfig { value.withLock { $0 } }

    /// Replaces the configuration.
    public func replace(_ config: GHCConfig) {
        value.withLock { $0 = config }
    }
}
