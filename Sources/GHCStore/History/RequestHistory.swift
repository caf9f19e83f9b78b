import GHCCore
import Logging
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The request history in `requests.db`, written off the request path: `enqueue` only appends to a bounded queue
/// (what does not fit is dropped and counted); `run` is the one writer, which writes what is queued in a transaction
/// 20 ms after a record arrives (so what finishes together is written together), prunes by age and size, and pauses
/// (one warning a minute) while the file cannot be written, resuming by itself. Reads go to the database's reading
/// connections. While the bodies waiting for the writer pass `backlogLimit`, `room()` holds new requests until it
/// catches up, so clients sending large requests faster than they can be compressed and written are slowed to its
/// pace instead of the backlog growing in memory (and, at `maxQueuedBytes`, records being dropped).
package final class RequestHistory: Sendable {
    /// How long records are kept and how large the database may grow.
    package struct Retention: Sendable {
        /// Records older than this many days are deleted.
        package var maxDays: Int
        /// The oldest records are deleted while the pages in use exceed this.
        package var maxBytes: Int

        /// Creates a retention.
        package init(maxDays: Int, maxBytes: Int) {
            self.maxDays = maxDays
            self.maxBytes = maxBytes
        }
    }

    fileprivate enum Item {
        case record(RequestRecord)
        case imported([RequestRecord], CheckedContinuation<Int, any Error>)
        case prune(CheckedContinuation<Int, any Error>)
    }

    private struct State {
        var database: HistoryDatabase?
        var queue: [Item] = []
        var queuedBytes = 0
        var enqueued = 0
        var done = 0
        var waiters: [(target: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var roomWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
        var nextRoomWaiter: UInt64 = 0
        var lastBacklogNotice: ContinuousClock.Instant?
        var written = 0
        var dropped = 0
        var problem: String?
        var lastWarning: ContinuousClock.Instant?
        var retryAt: ContinuousClock.Instant?
        var lastPrune: ContinuousClock.Instant?
        var running = false
        var attempted = false
        var verified = false
        var finished = false
    }

    /// How long the writer waits after a record is queued for others to join it in one transaction.
    static let gathering = Duration.milliseconds(20)

    /// The database file.
    package let path: String
    private let state = Mutex(State())
    private let wakes: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let maxQueuedBytes: Int
    private let backlogLimit: Int
    /// Whether new requests wait for room (read without the lock on every request; set under it).
    private let congested = Atomic<Bool>(false)
    private let retention: @Sendable () -> Retention
    private let persisted: @Sendable ([String]) -> Void
    private let logger: Logger
    private let now: @Sendable () -> Double

    /// Creates the history of `path` (opened by `run`).
    /// - Parameters:
    ///   - retention: read before each pruning, so configuration changes apply without a restart.
    ///   - persisted: told the ids of records once they are in the database (the memory window then drops their bodies).
    ///   - maxQueuedBytes: the bodies queued past which records are dropped (reached only while the writer is paused,
    ///     or busy with something other than records for long).
    ///   - backlogLimit: the bodies queued past which `room()` holds new requests while the writer works.
    package init(
        path: String,
        maxQueuedBytes: Int = 256 << 20,
        backlogLimit: Int = 16 << 20,
        retention: @escaping @Sendable () -> Retention,
        logger: Logger,
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        persisted: @escaping @Sendable ([String]) -> Void = { _ in }
    ) {
        self.path = path
        self.maxQueuedBytes = maxQueuedBytes
        self.backlogLimit = backlogLimit
        self.retention = retention
        self.logger = logger
        self.now = now
        self.persisted = persisted
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a finished record; returns `false` (and counts it) when the queue is full.
    @discardableResult
    package func enqueue(_ record: RequestRecord) -> Bool {
        let size = record.storedBytes
        let change = state.withLock { state -> BacklogChange? in
            guard state.queuedBytes + size <= maxQueuedBytes else {
                state.dropped += 1
                return nil
            }
            state.queue.append(.record(record))
            state.queuedBytes += size
            state.enqueued += 1
            return state.queuedBytes > backlogLimit ? updateCongestion(&state) : BacklogChange()
        }
        guard let change else { return false }
        settle(change)
        wake.yield()
        return true
    }

    /// Returns once the bodies waiting for the writer are under `backlogLimit`: at once unless the writer is behind
    /// (and never while it is paused or stopped, so a history that cannot be written never holds a request up), or
    /// when the waiting request is cancelled (its client left).
    package func room() async {
        guard congested.load(ordering: .relaxed) else { return }
        let id = state.withLock { state in
            defer { state.nextRoomWaiter += 1 }
            return state.nextRoomWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let waits = state.withLock { state in
                    guard isCongested(state), !Task.isCancelled else { return false }
                    state.roomWaiters[id] = continuation
                    return true
                }
                if !waits { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.roomWaiters.removeValue(forKey: id) }?.resume()
        }
    }

    private func isCongested(_ state: State) -> Bool {
        state.queuedBytes > backlogLimit && state.running && !state.finished && state.problem == nil
    }

    /// Sets `congested` from the state, lets the waiting requests go once it is clear, and says (at most once a
    /// minute) when requests start to wait.
    private func noteCongestion() {
        settle(state.withLock { updateCongestion(&$0) })
    }

    /// What a change of the backlog asks for once the lock is released.
    private struct BacklogChange {
        var released: [CheckedContinuation<Void, Never>] = []
        var noticeBytes: Int?
    }

    /// Sets `congested` from the state (under its lock).
    private func updateCongestion(_ state: inout State) -> BacklogChange {
        let congested = isCongested(state)
        let wasCongested = self.congested.exchange(congested, ordering: .relaxed)
        guard congested else {
            defer { state.roomWaiters.removeAll() }
            return BacklogChange(released: Array(state.roomWaiters.values))
        }
        let instant = ContinuousClock.now
        guard !wasCongested, state.lastBacklogNotice.map({ instant - $0 >= .seconds(60) }) ?? true else { return BacklogChange() }
        state.lastBacklogNotice = instant
        return BacklogChange(noticeBytes: state.queuedBytes)
    }

    private func settle(_ change: BacklogChange) {
        for continuation in change.released { continuation.resume() }
        if let bytes = change.noticeBytes {
            logger.notice("history: \(bytes >> 20) MB of bodies wait to be written; new requests wait for the writer to catch up")
        }
    }

    /// Writes imported records (after what is queued); returns how many were new. Throws when the database cannot be
    /// opened or written.
    package func importRecords(_ records: [RequestRecord]) async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let refusal = state.withLock { state -> String? in
                if state.finished { return "the server is stopping" }
                if state.database == nil, let problem = state.problem { return problem }
                state.queue.append(.imported(records, continuation))
                return nil
            }
            if let refusal { continuation.resume(throwing: HistoryError.unavailable(refusal)) } else { wake.yield() }
        }
    }

    /// Returns once the database was first opened (or failed to open) and every record queued before the call is
    /// written; at once while the database cannot be written or no writer runs.
    package func flush() async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                guard state.running, state.problem == nil, state.done < state.enqueued || !state.attempted else { return true }
                state.waiters.append((state.enqueued, continuation))
                return false
            }
            if ready { continuation.resume() } else { wake.yield() }
        }
    }

    /// The open database, or `nil` before it is open and while it cannot be.
    package var database: HistoryDatabase? { state.withLock { $0.database } }

    /// Whether `run` is writing.
    package var isRunning: Bool { state.withLock { $0.running } }

    /// Records dropped because the queue was full.
    package var statisticsDropped: Int { state.withLock { $0.dropped } }

    /// Why recording is paused, when it is.
    package var problem: String? { state.withLock { $0.problem } }

    /// Writes until `finish()`, then writes what is left and closes the database.
    package func run() async {
        state.withLock { $0.running = true }
        defer {
            state.withLock { $0.running = false }
            noteCongestion()
        }
        await withTaskGroup(of: Void.self) { group in
            // The first round opens the database; a tick checks once a minute whether pruning is due (records wake
            // the writer themselves), so an idle server sleeps.
            wake.yield()
            group.addTask { [wake] in
                while (try? await Task.sleep(for: .seconds(60))) != nil { wake.yield() }
            }
            for await _ in wakes {
                // Records that finish close together go in one transaction: one commit and one wake of the
                // writer for a burst, instead of one per record.
                if !state.withLock({ $0.finished }) { try? await Task.sleep(for: Self.gathering) }
                await step()
                // While the file cannot be written, it is tried again every second until it can.
                if state.withLock({ !$0.finished && ($0.database == nil || $0.problem != nil) }) {
                    try? await Task.sleep(for: .seconds(1))
                    wake.yield()
                }
                let done = state.withLock { $0.finished && ($0.queue.isEmpty || $0.database == nil || $0.problem != nil) }
                if done { break }
            }
            group.cancelAll()
        }
        let leftovers = state.withLock { state -> (HistoryDatabase?, [Item]) in
            defer { state.queue.removeAll() }
            return (state.database, state.queue)
        }
        for case .imported(_, let continuation) in leftovers.1 {
            continuation.resume(throwing: HistoryError.unavailable("the server stopped"))
        }
        resumeWaiters(all: true)
        await leftovers.0?.close()
    }

    /// Ends `run` once what is queued is written.
    package func finish() {
        state.withLock { $0.finished = true }
        noteCongestion()
        wake.yield()
    }

    /// Prunes now, after what is queued (the writer also prunes at start and every ten minutes); returns how many
    /// records were deleted.
    @discardableResult
    package func prune() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            let stopping = state.withLock { state in
                if !state.finished { state.queue.append(.prune(continuation)) }
                return state.finished
            }
            if stopping { continuation.resume(throwing: HistoryError.unavailable("the server is stopping")) } else { wake.yield() }
        }
    }

    /// Deletes what is past the retention; only the writer calls it.
    private func pruneNow(_ database: HistoryDatabase) async throws -> Int {
        let limits = retention()
        return try await database.prune(before: now() - Double(limits.maxDays) * 86_400, maxBytes: limits.maxBytes)
    }

    /// `{"state", "problem", "records", "bytes", "queued", "queued_bytes", "written", "dropped"}` for `/api/stats`.
    package func statistics() async -> JSONValue {
        let size = try? await database?.size()
        return state.withLock { state in
            [
                "path": .string(path),
                "state": .string(state.database == nil ? "unavailable" : state.problem == nil ? "recording" : "paused"),
                "problem": state.problem.map(JSONValue.string) ?? .null, "records": size.map { .int($0.records) } ?? .null,
                "bytes": size.map { .int($0.bytes) } ?? .null, "queued": .int(state.queue.count),
                "queued_bytes": .int(state.queuedBytes), "written": .int(state.written), "dropped": .int(state.dropped),
            ]
        }
    }

    /// One round of the writer: open the database if needed, write what is queued, prune when due.
    private func step() async {
        let instant = ContinuousClock.now
        let retry = state.withLock { $0.retryAt }
        if let retry, instant < retry { return }
        guard let database = await openIfNeeded() else { return }
        let items = state.withLock { state in
            defer { state.queue.removeAll() }
            return state.queue
        }
        if !items.isEmpty { await write(items, to: database) }
        let due = state.withLock { state in state.problem == nil && (state.lastPrune.map { instant - $0 > .seconds(600) } ?? true) }
        if due {
            state.withLock { $0.lastPrune = instant }
            do {
                let deleted = try await pruneNow(database)
                if deleted > 0 { logger.info("history: pruned \(deleted) record(s) past history_max_days or history_max_bytes") }
            } catch {
                logger.warning("history: pruning failed: \(HistoryError.from(error))")
            }
        }
    }

    private func openIfNeeded() async -> HistoryDatabase? {
        if let database { return await verifiedOnce(database) }
        do {
            let database = try await HistoryDatabase.open(path: path, logger: logger)
            let wasPaused = state.withLock { state in
                state.database = database
                state.attempted = true
                state.retryAt = nil
                defer { state.problem = nil }
                return state.problem != nil
            }
            if wasPaused { logger.notice("history: \(path) is writable again; recording resumed") }
            resumeWaiters(all: false)
            return await verifiedOnce(database)
        } catch {
            state.withLock { $0.attempted = true }
            pause(because: "cannot open \(path): \(error)")
            let imports = state.withLock { state in
                defer { state.queue.removeAll { if case .record = $0 { false } else { true } } }
                return state.queue
            }
            for item in imports { item.fail(error) }
            return nil
        }
    }

    /// Checks every page of a database the first time it is used (reads are served meanwhile); a damaged one is
    /// closed and moved aside, and the next round starts a new one.
    private func verifiedOnce(_ database: HistoryDatabase) async -> HistoryDatabase? {
        guard !state.withLock({ $0.verified }) else { return database }
        do {
            try await database.verify()
            state.withLock { $0.verified = true }
            return database
        } catch {
            state.withLock { $0.database = nil }
            await database.close()
            if let damage = error as? DamagedDatabase {
                do {
                    try HistoryDatabase.moveAside(path, because: damage, logger: logger)
                } catch {
                    pause(because: error.description)
                }
            } else {
                pause(because: "cannot check \(path): \(HistoryError.from(error))")
            }
            return nil
        }
    }

    /// Writes items in order: queued records in one transaction, each import in its own.
    private func write(_ items: [Item], to database: HistoryDatabase) async {
        var index = 0
        while index < items.count {
            switch items[index] {
            case .imported(let records, let continuation):
                do {
                    continuation.resume(returning: try await database.insert(records).count)
                } catch {
                    continuation.resume(throwing: HistoryError.from(error))
                }
                index += 1
            case .prune(let continuation):
                do {
                    continuation.resume(returning: try await pruneNow(database))
                } catch {
                    continuation.resume(throwing: HistoryError.from(error))
                }
                index += 1
            case .record:
                var records: [RequestRecord] = []
                while index < items.count, case .record(let record) = items[index] {
                    records.append(record)
                    index += 1
                }
                do {
                    _ = try await database.insert(records)
                    recorded(records)
                } catch  where HistoryDatabase.isRecordProblem(error) {
                    // One record SQLite refuses (too big, say) must not hold up the others: each is tried alone.
                    await insertOneByOne(records, into: database)
                } catch {
                    // Kept, at the front of the queue, for the next attempt.
                    state.withLock { $0.queue.insert(contentsOf: items[(index - records.count)...], at: 0) }
                    await failed(error, database: database)
                    return
                }
            }
        }
    }

    /// Inserts records one at a time; one SQLite refuses is dropped, counted and logged.
    private func insertOneByOne(_ records: [RequestRecord], into database: HistoryDatabase) async {
        for record in records {
            do {
                _ = try await database.insert([record])
                recorded([record])
            } catch {
                state.withLock { $0.dropped += 1 }
                logger.warning("history: request \(record.id) cannot be recorded (\(HistoryError.from(error))); skipped")
                recorded([record], stored: false)
            }
        }
    }

    /// Marks records as done: written to the database (`stored`), or skipped.
    private func recorded(_ records: [RequestRecord], stored: Bool = true) {
        let wasPaused = state.withLock { state in
            state.queuedBytes -= records.reduce(0) { $0 + $1.storedBytes }
            state.done += records.count
            if stored { state.written += records.count }
            state.retryAt = nil
            defer { state.problem = nil }
            return state.problem != nil
        }
        if wasPaused { logger.notice("history: \(path) is writable again; recording resumed") }
        resumeWaiters(all: false)
        if stored { persisted(records.map(\.id)) }
        // After `persisted`: the memory window has let the written bodies go when the held requests start.
        noteCongestion()
    }

    private func failed(_ error: any Error, database: HistoryDatabase) async {
        if HistoryDatabase.isCorruption(error) {
            // Reopened and checked on the next round, which moves the damaged file aside.
            state.withLock { state in
                state.database = nil
                state.verified = false
            }
            await database.close()
        }
        pause(because: "cannot write \(path): \(HistoryError.from(error))")
    }

    /// Notes why recording stopped, warns at most once a minute, and retries in a few seconds.
    private func pause(because reason: String) {
        let instant = ContinuousClock.now
        let warn = state.withLock { state -> Bool in
            state.problem = reason
            state.retryAt = instant + .seconds(5)
            guard state.lastWarning.map({ instant - $0 >= .seconds(60) }) ?? true else { return false }
            state.lastWarning = instant
            return true
        }
        if warn { logger.warning("history: \(reason); requests are still proxied, recording resumes when it can") }
        resumeWaiters(all: true)
        noteCongestion()
    }

    private func resumeWaiters(all: Bool) {
        let ready = state.withLock { state in
            let ready = state.waiters.filter { all || $0.target <= state.done }
            state.waiters.removeAll { all || $0.target <= state.done }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }
}

extension RequestHistory.Item {
    /// Tells a waiting import or prune that it failed (a queued record has nobody waiting).
    func fail(_ error: any Error) {
        switch self {
        case .record: break
        case .imported(_, let continuation): continuation.resume(throwing: error)
        case .prune(let continuation): continuation.resume(throwing: error)
        }
    }
}
