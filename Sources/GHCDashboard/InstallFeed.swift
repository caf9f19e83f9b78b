import GHCCore
import Synchronization

/// The output of the tool install in progress, for `GET /api/config-manager/install-tools/events`: every event of
/// the current run is kept, so a page that connects late still sees it all.
final class InstallFeed: Sendable {
    private struct State {
        var running = false
        var events: [JSONValue] = []
        var listeners: [Int: AsyncStream<JSONValue>.Continuation] = [:]
        var next = 0
    }

    private let state = Mutex(State())

    /// Starts a run; false when one is running already.
    func begin() -> Bool {
        state.withLock { state in
            if state.running { return false }
            state.running = true
            state.events = []
            return true
        }
    }

    /// Publishes an event (`{"event": …, …}`).
    func publish(_ event: JSONValue) {
        let listeners = state.withLock { state in
            state.events.append(event)
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.yield(event) }
    }

    /// Ends the run with its last event; every listener's stream finishes.
    func end(_ event: JSONValue) {
        publish(event)
        let listeners = state.withLock { state in
            state.running = false
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener.finish() }
    }

    /// The events so far and those to come, until the run ends (just the last run's when none is running).
    func subscribe() -> AsyncStream<JSONValue> {
        let (stream, continuation) = AsyncStream<JSONValue>.makeStream()
        state.withLock { state in
            for event in state.events { continuation.yield(event) }
            if state.running {
                state.listeners[state.next] = continuation
                state.next += 1
            } else {
                continuation.finish()
            }
        }
        return stream
    }
}
