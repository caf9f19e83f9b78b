import Synchronization

/// Holds one cached value and loads it at most once at a time: any number of concurrent callers that find
/// it missing or stale share a single load, and a failed load is not cached, so the next caller tries again.
/// A caller that is cancelled stops waiting at once; the shared load goes on for the others and still fills the cache.
actor SingleFlight<Value: Sendable> {
    private var cached: Value?
    private var inFlight: Task<Value, any Error>?

    /// The cached value, if any, without loading.
    var current: Value? { cached }

    /// Returns the cached value when `isFresh` accepts it (and `force` is false), else joins or starts a load.
    func value(force: Bool = false, isFresh: (Value) -> Bool, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if !force, let cached, isFresh(cached) { return cached }
        if let inFlight { return try await Self.waitCancellably(for: inFlight) }
        let task = Task {
            do {
                let value = try await load()
                self.finish(with: value)
                return value
            } catch {
                self.finish(with: nil)
                throw error
            }
        }
        inFlight = task
        return try await Self.waitCancellably(for: task)
    }

    /// Forgets the cached value so the next caller loads a new one.
    func invalidate() {
        cached = nil
    }

    private func finish(with value: Value?) {
        if let value { cached = value }
        inFlight = nil
    }

    /// The result of `task`, or `CancellationError` as soon as the caller is cancelled (the task itself goes on).
    private static func waitCancellably(for task: Task<Value, any Error>) async throws -> Value {
        let outcome = OneOutcome<Value>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                outcome.install(continuation)
                Task { outcome.resume(with: await task.result) }
            }
        } onCancel: {
            outcome.resume(with: .failure(CancellationError()))
        }
    }
}

/// A continuation resumed once, by whichever comes first: the result or a cancellation.
private final class OneOutcome<Value: Sendable>: Sendable {
    private enum State {
        case waiting
        case installed(CheckedContinuation<Value, any Error>)
        case done(Result<Value, any Error>?)
    }

    private let state = Mutex<State>(.waiting)

    /// Remembers the continuation, or resumes it at once when the outcome came first.
    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let early: Result<Value, any Error>? = state.withLock { state in
            if case .done(let result) = state {
                state = .done(nil)
                return result
            }
            state = .installed(continuation)
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Resumes the continuation with `result` unless it was resumed already.
    func resume(with result: Result<Value, any Error>) {
        let waiting: CheckedContinuation<Value, any Error>? = state.withLock { state in
            switch state {
            case .installed(let continuation):
                state = .done(nil)
                return continuation
            case .waiting:
                state = .done(result)
                return nil
            case .done:
                return nil
            }
        }
        waiting?.resume(with: result)
    }
}
