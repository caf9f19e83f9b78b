/// Holds one cached value and loads it at most once at a time: any number of concurrent callers that find
/// it missing or stale share a single load, and a failed load is not cached, so the next caller tries again.
actor SingleFlight<Value: Sendable> {
    private var cached: Value?
    private var inFlight: Task<Value, any Error>?

    /// The cached value, if any, without loading.
    var current: Value? { cached }

    /// Returns the cached value when `isFresh` accepts it (and `force` is false), else joins or starts a load.
    func value(force: Bool = false, isFresh: (Value) -> Bool, load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if !force, let cached, isFresh(cached) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await load() }
        inFlight = task
        do {
            let value = try await task.value
            cached = value
            inFlight = nil
            return value
        } catch {
            inFlight = nil
            throw error
        }
    }

    /// Forgets the cached value so the next caller loads a new one.
    func invalidate() {
        cached = nil
    }
}
