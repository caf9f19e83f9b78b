import GHCProxy
import Synchronization
import Testing

@Suite struct ExchangeFinishTests {
    @Test func anExchangeFinishesOnceAndOneDroppedUnfinishedIsRecordedAsCancelled() {
        let statuses = Mutex<[Int]>([])
        let note: @Sendable (RelayOutcome) -> Void = { outcome in statuses.withLock { $0.append(outcome.status) } }
        do {
            let finish = ExchangeFinish(note)
            finish(RelayOutcome(status: 200, streamed: true, failure: nil))
            finish(RelayOutcome(status: 502, streamed: true, failure: "late"))
        }
        do {
            // The client left as the answer began: nothing finished it before it was dropped.
            _ = ExchangeFinish(note)
        }
        do {
            // A retried call finishes the exchange instead.
            let replaced = ExchangeFinish(note)
            replaced.dismiss()
        }
        #expect(statuses.withLock { $0 } == [200, 499])
    }
}
