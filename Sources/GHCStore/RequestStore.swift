import DequeModule
import GHCCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the dashboard is told as it happens.
package enum StoreEvent: Sendable {
    /// A request was created or changed: its summary.
    case request(JSONValue)
    /// A request finished: the new statistics.
    case stats(JSONValue)
}

/// How a request ended.
package struct RequestCompletion: Sendable {
    /// The status sent to the client.
    package var status: Int
    /// The answer's bytes (JSON body, or the raw event stream when `stream`).
    package var responseBody: [UInt8]
    /// Whether the answer was a stream.
    package var stream: Bool
    /// The answer's size (may exceed what was kept).
    package var responseSize: Int
    /// Token usage.
    package var usage: TokenUsage
    /// Why it failed, if it did.
    package var error: String?
    /// Whether the client went away first.
    package var cancelled: Bool
    /// The largest answer body kept (`cache_max_request_size` as it is now; 0 keeps all); `nil` for the store's own.
    package var bodyLimit: Int?

    /// Creates a completion.
    package init(
        status: Int,
        responseBody: [UInt8],
        stream: Bool,
        responseSize: Int,
        usage: TokenUsage,
        error: String?,
        cancelled: Bool = false,
        bodyLimit: Int? = nil
    ) {
        self.bodyLimit = bodyLimit
        self.status = status
        self.responseBody = responseBody
        self.stream = stream
        self.responseSize = responseSize
        self.usage = usage
        self.error = error
        self.cancelled = cancelled
    }
}

/// The in-memory request store: at most `maxEntries` finished records and `maxBytes` of kept bodies, oldest
/// finished ones evicted first; statistics that outlive eviction; live events for the dashboard.
package final class RequestStore: Sendable {
    private struct State {
        var records: [String: RequestRecord] = [:]
        /// Ids from oldest to newest: eviction takes from the front, in constant time however many are kept.
        var order: Deque<String> = []
        var bytes = 0
        var statistics = StoreStatistics()
        /// Finished records whose bodies are in `requests.db` and no longer held here.
        var persisted: Set<String> = []
        var listeners: [UUID: AsyncStream<StoreEvent>.Continuation] = [:]
    }

    private let state = Mutex(State())
    /// Most records kept.
    package let maxEntries: Int
    /// Most bytes of bodies kept.
    package let maxBytes: Int
    /// Largest body kept (`cache_max_request_size`; 0 keeps all).
    package let bodyLimit: Int
    /// Whether finished bodies are compressed here; a store whose records go to `requests.db` leaves that to the
    /// history writer, which compresses them off the request path and then drops them from memory.
    package let compactsBodies: Bool
    private let now: @Sendable () -> Date

    /// Creates a store.
    package init(
        maxEntries: Int,
        maxBytes: Int,
        bodyLimit: Int,
        compactsBodies: Bool = true,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.maxEntries = max(1, maxEntries)
        self.maxBytes = maxBytes
        self.bodyLimit = bodyLimit
        self.compactsBodies = compactsBodies
        self.now = now
    }

    /// Adds a new record (state `pending`) and tells the dashboard.
    package func start(_ record: RequestRecord) {
        state.withLock { state in
            insert(record, into: &state)
            broadcast({ .request(record.summary) }, in: state)
        }
    }

    /// Moves a record to `sending` or `receiving` (with the time to first byte).
    package func update(_ id: String, to newState: RequestState, firstByteAfter: Double? = nil) {
        state.withLock { state in
            let found: Void? = Self.modify(id, in: &state) { record in
                record.state = newState
                if let firstByteAfter { record.timeToFirstByte = firstByteAfter }
            }
            // The summary is made only for a dashboard that listens.
            guard found != nil, !state.listeners.isEmpty, let record = state.records[id] else { return }
            broadcast({ .request(record.summary) }, in: state)
        }
    }

    /// Finishes a record; returns it (for the daily file), or `nil` when it was already evicted.
    @discardableResult
    package func complete(_ id: String, _ completion: RequestCompletion) -> RequestRecord? {
        let finishedAt = now().timeIntervalSince1970
        // Compression (when this store does it) happens here, outside the lock, so it never holds up other requests.
        let response =
            completion.responseBody.isEmpty && completion.responseSize == 0
            ? nil
            : StoredBody(
                completion.responseBody,
                limit: completion.bodyLimit ?? bodyLimit,
                originalSize: max(completion.responseSize, completion.responseBody.count),
                compress: compactsBodies
            )
        var compacted: (original: StoredBody?, sentUpstream: StoredBody?)?
        if compactsBodies {
            guard let pending = record(id) else { return nil }
            let original = pending.originalRequestBody?.compacted()
            compacted = (original, pending.requestBody == pending.originalRequestBody ? original : pending.requestBody?.compacted())
        }
        return state.withLock { state -> RequestRecord? in
            let change = Self.modify(id, in: &state) { record -> (record: RequestRecord, bytesBefore: Int) in
                let bytesBefore = record.storedBytes
                if let compacted {
                    record.originalRequestBody = compacted.original
                    record.requestBody = compacted.sentUpstream
                }
                record.statusCode = completion.status
                record.responseBody = response
                record.stream = completion.stream
                record.responseSize = completion.responseSize
                record.usage = completion.usage
                record.error = completion.error
                record.duration = max(0, finishedAt - record.timestamp)
                record.state =
                    completion.cancelled ? .cancelled : (completion.status < 400 && completion.error == nil ? .completed : .error)
                return (record, bytesBefore)
            }
            guard let (finished, bytesBefore) = change else { return nil }
            state.bytes += finished.storedBytes - bytesBefore
            state.statistics.count(finished)
            evict(&state)
            broadcast({ .request(finished.summary) }, in: state)
            broadcast({ .stats(statistics(state)) }, in: state)
            return finished
        }
    }

    /// Adds an imported record; `false` when a record with its id is already here.
    package func importRecord(_ record: RequestRecord) -> Bool {
        state.withLock { state in
            guard state.records[record.id] == nil else { return false }
            insert(record, into: &state)
            state.statistics.count(record)
            return true
        }
    }

    /// One record.
    package func record(_ id: String) -> RequestRecord? {
        state.withLock { $0.records[id] }
    }

    /// One record, unless its bodies were handed to the database (read it there).
    package func recordWithBodies(_ id: String) -> RequestRecord? {
        state.withLock { $0.persisted.contains(id) ? nil : $0.records[id] }
    }

    /// Records in flight, newest first (they reach the database only when they finish).
    package func inFlight() -> [RequestRecord] {
        state.withLock { state in state.order.reversed().compactMap { state.records[$0] }.filter { $0.state.isInFlight } }
    }

    /// Drops the bodies of records now stored in the database: memory then holds their summaries only.
    package func markPersisted(_ ids: [String]) {
        state.withLock { state in
            for id in ids {
                let freed = Self.modify(id, in: &state) { record -> Int? in
                    guard !record.state.isInFlight else { return nil }
                    let before = record.storedBytes
                    record.originalRequestBody = nil
                    record.requestBody = nil
                    record.responseBody = nil
                    record.searchPrompt = nil
                    return before - record.storedBytes
                }
                guard let freed = freed ?? nil else { continue }
                state.bytes -= freed
                state.persisted.insert(id)
            }
        }
    }

    /// Every record, oldest first.
    package func all() -> [RequestRecord] {
        state.withLock { state in state.order.compactMap { state.records[$0] } }
    }

    /// A page of records, newest first, that pass `filter`; its `search` is matched case-insensitively against the
    /// model, endpoint and bodies held in memory (the database's full-text search is used when it is open).
    package func page(_ page: Int, perPage: Int, filter: HistoryFilter) -> (items: [RequestRecord], total: Int) {
        let snapshot = state.withLock { state in state.order.reversed().compactMap { state.records[$0] } }
        let needle = filter.search?.lowercased().trimmedWhitespace ?? ""
        let matching = snapshot.filter { filter.accepts($0) && (needle.isEmpty || Self.matches($0, needle)) }
        let size = max(1, perPage)
        let start = max(0, (min(1_000_000, max(1, page)) - 1) * min(size, 1_000))
        return (start < matching.count ? Array(matching[start..<min(matching.count, start + size)]) : [], matching.count)
    }

    /// The `/api/stats` document.
    package func statistics() -> JSONValue {
        state.withLock { statistics($0) }
    }

    /// Live events until the stream is dropped or `end` is called.
    package func subscribe() -> (events: AsyncStream<StoreEvent>, end: @Sendable () -> Void) {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreEvent.self, bufferingPolicy: .bufferingNewest(512))
        let key = UUID()
        state.withLock { $0.listeners[key] = continuation }
        continuation.onTermination = { [weak self] _ in self?.state.withLock { _ = $0.listeners.removeValue(forKey: key) } }
        return (stream, { continuation.finish() })
    }

    /// Memory taken by kept bodies.
    package var storedBytes: Int { state.withLock { $0.bytes } }
    /// Records kept.
    package var count: Int { state.withLock { $0.order.count } }

    private func statistics(_ state: State) -> JSONValue {
        let inFlight = state.records.values.filter { $0.state.isInFlight }.count
        return state.statistics.json(cached: state.order.count, inFlight: inFlight, now: now().timeIntervalSince1970)
    }

    private func insert(_ record: RequestRecord, into state: inout State) {
        state.records[record.id] = record
        state.order.append(record.id)
        state.bytes += record.storedBytes
        evict(&state)
    }

    /// Changes the record `id` where it is kept (a record has many strings: copying it out and back retained and
    /// released each, several times a request); `nil` when it is not here.
    private static func modify<T>(_ id: String, in state: inout State, _ change: (inout RequestRecord) -> T) -> T? {
        guard let index = state.records.index(forKey: id) else { return nil }
        return change(&state.records.values[index])
    }

    /// Evicts the oldest finished records until the bounds hold. Records in flight are never evicted: their
    /// completion, daily-file line and statistics would be lost (the bounds may be exceeded while they run).
    private func evict(_ state: inout State) {
        var index = 0
        while state.order.count > maxEntries || (state.bytes > maxBytes && state.order.count > 1), index < state.order.count {
            let id = state.order[index]
            guard let record = state.records[id] else {
                state.order.remove(at: index)
                continue
            }
            if record.state.isInFlight {
                index += 1
                continue
            }
            state.order.remove(at: index)
            state.records.removeValue(forKey: id)
            state.persisted.remove(id)
            state.bytes -= record.storedBytes
        }
    }

    /// Sends an event to every listener; the event is only built when someone listens.
    private func broadcast(_ event: () -> StoreEvent, in state: State) {
        guard !state.listeners.isEmpty else { return }
        let built = event()
        for continuation in state.listeners.values { continuation.yield(built) }
    }

    private static func matches(_ record: RequestRecord, _ needle: String) -> Bool {
        if record.model.lowercased().contains(needle) || record.endpoint.lowercased().contains(needle) { return true }
        if record.translatedModel?.lowercased().contains(needle) == true { return true }
        for body in [record.requestBody, record.originalRequestBody, record.responseBody] {
            if let bytes = body?.contents, String(decoding: bytes, as: UTF8.self).lowercased().contains(needle) { return true }
        }
        return false
    }
}
