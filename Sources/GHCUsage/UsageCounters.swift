import Synchronization

/// Usage counted from the answers that went through this process, by user and model (cumulative; the reporter
/// writes what grew since its last line). Imported records never come here: they are not new usage.
package final class UsageCounters: Sendable {
    /// A user and a model.
    package struct Key: Hashable, Sendable, Comparable {
        /// The client's user (`anonymous` when it names none).
        package var user: String
        /// The model (the Copilot name when the request was mapped).
        package var model: String

        /// Creates a key.
        package init(user: String, model: String) {
            self.user = user
            self.model = model
        }

        /// By user, then model.
        package static func < (lhs: Key, rhs: Key) -> Bool { (lhs.user, lhs.model) < (rhs.user, rhs.model) }
    }

    private let counts = Mutex<[Key: UsageTotals]>([:])

    /// Empty counters.
    package init() {}

    /// Counts one finished request (failed and cancelled ones with what the upstream reported before the end).
    package func count(user: String, model: String, _ totals: UsageTotals) {
        counts.withLock { $0[Key(user: user, model: model), default: UsageTotals()] += totals }
    }

    /// Everything counted so far.
    package var snapshot: [Key: UsageTotals] { counts.withLock { $0 } }
}
