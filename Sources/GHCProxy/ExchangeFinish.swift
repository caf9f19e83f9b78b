import Synchronization

/// Finishes a proxied exchange (its record and log line) exactly once. An answer dropped before anything finished it,
/// such as one whose head could not be written because the client left as it arrived, is finished as cancelled
/// when the last reference to it goes, so no record stays "receiving".
package final class ExchangeFinish: Sendable {
    private let finish: @Sendable (RelayOutcome) -> Void
    private let done = Atomic<Bool>(false)

    /// Finishes with `finish`.
    package init(_ finish: @escaping @Sendable (RelayOutcome) -> Void) {
        self.finish = finish
    }

    /// Finishes with `outcome`, unless the exchange finished already.
    package func callAsFunction(_ outcome: RelayOutcome) {
        if !done.exchange(true, ordering: .acquiringAndReleasing) { finish(outcome) }
    }

    /// This answer is replaced by another that finishes the exchange (a retried call): it finishes nothing.
    package func dismiss() {
        done.store(true, ordering: .releasing)
    }

    deinit {
        if !done.load(ordering: .acquiring) {
            finish(RelayOutcome(status: 499, streamed: false, failure: "the client closed the connection as the answer began"))
        }
    }
}
