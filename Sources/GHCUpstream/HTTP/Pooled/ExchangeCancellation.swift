import Synchronization

/// Carries a task's cancellation to the connection that serves it: the connection registers how to give up its
/// exchange, and a cancellation that came first makes it give up at once.
final class ExchangeCancellation: Sendable {
    private struct State {
        var cancelled = false
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    /// A cancellation that has not happened.
    init() {}

    /// Whether the caller has gone.
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// Calls `action` when the caller goes (replacing an earlier action); `false`, without keeping it, when the caller
    /// has gone already.
    func onCancel(_ action: @escaping @Sendable () -> Void) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.action = action
            return true
        }
    }

    /// The caller went: the registered action runs.
    func cancel() {
        let action = state.withLock { state in
            state.cancelled = true
            defer { state.action = nil }
            return state.action
        }
        action?()
    }
}
