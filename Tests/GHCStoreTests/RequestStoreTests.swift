import GHCCore
import GHCStore
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct RequestStoreTests {
    static func record(_ id: String, model: String = "gpt-4.1", body: [UInt8] = Array("{}".utf8), limit: Int = 0) -> RequestRecord {
        var record = RequestRecord(
            id: id,
            timestamp: 1_800_000_000,
            clientIP: "127.0.0.1",
            requestHeaders: RequestRecord.redacted([("Authorization", "Bearer sk-1"), ("User-Agent", "test")]),
            model: model,
            endpoint: "/v1/chat/completions"
        )
        record.requestBody = StoredBody(body, limit: limit)
        record.originalRequestBody = record.requestBody
        record.requestSize = body.count
        return record
    }

    static func done(_ status: Int = 200, tokens: Int = 5) -> RequestCompletion {
        RequestCompletion(
            status: status,
            responseBody: Array(#"{"ok":true}"#.utf8),
            stream: false,
            responseSize: 11,
            usage: TokenUsage(input: tokens, output: 1),
            error: nil
        )
    }

    @Test func oldestRecordsAreEvictedByCount() {
        let store = RequestStore(maxEntries: 3, maxBytes: 1 << 30, bodyLimit: 0)
        for index in 0..<5 {
            store.start(Self.record("r\(index)"))
            store.complete("r\(index)", Self.done())
        }
        #expect(store.count == 3)
        #expect(store.record("r0") == nil && store.record("r1") == nil && store.record("r4") != nil)
        #expect(store.page(1, perPage: 10, filter: HistoryFilter()).items.map(\.id) == ["r4", "r3", "r2"])
    }

    @Test func recordsInFlightAreNeverEvictedAndTheirCompletionIsKept() {
        let store = RequestStore(maxEntries: 2, maxBytes: 1 << 30, bodyLimit: 0)
        for index in 0..<4 { store.start(Self.record("r\(index)")) }
        #expect(store.count == 4, "the bound waits while every record is in flight")
        let finished = store.complete("r0", Self.done(tokens: 9))
        #expect(finished?.state == .completed && finished?.usage.input == 9)
        #expect(store.statistics()["total_requests"] == 1)
        store.start(Self.record("r4"))
        #expect(store.record("r0") == nil, "the oldest finished record goes first")
        #expect(store.record("r1")?.state == .pending && store.record("r4") != nil)
        for index in 1...4 { store.complete("r\(index)", Self.done()) }
        #expect(store.count == 2 && store.record("r4") != nil)
        #expect(store.statistics()["total_requests"] == 5)
    }

    @Test func theByteBudgetBoundsMemoryAndLargeBodiesAreCompressed() {
        // Varied text, compressing about as well as real prompts (a seeded generator keeps it the same each run).
        var seed: UInt64 = 7
        func next() -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return seed >> 33
        }
        let text = (0..<8_000).map { _ in
            String((0..<(2 + Int(next() % 8))).map { _ in Character(Unicode.Scalar(UInt8(97 + next() % 26))) })
        }.joined(separator: " ")
        let body = Array(text.utf8)
        let store = RequestStore(maxEntries: 1000, maxBytes: 200_000, bodyLimit: 1 << 20)
        for index in 0..<50 {
            store.start(Self.record("r\(index)", body: body))
            store.complete("r\(index)", Self.done())
        }
        #expect(store.storedBytes <= 200_000)
        #expect(store.count < 50 && store.count > 1)
        let kept = StoredBody(Array((0..<30_000).map { "word\($0 % 97) " }.joined().utf8), limit: 1 << 20)
        let original = Array((0..<30_000).map { "word\($0 % 97) " }.joined().utf8)
        #expect(kept.storedSize < original.count / 5)
        #expect(kept.contents == original)
        let varied = StoredBody(body, limit: 1 << 20)
        #expect(varied.storedSize < body.count * 3 / 4 && varied.contents == body)
    }

    @Test func aStoreWhoseRecordsGoToTheHistoryLeavesCompressionToItsWriter() throws {
        let body = Array(String(repeating: "a prompt that compresses well ", count: 400).utf8)
        func completed(in store: RequestStore) throws -> StoredBody {
            var record = Self.record("r")
            record.requestBody = StoredBody(body, limit: 0, compress: false)
            record.originalRequestBody = record.requestBody
            store.start(record)
            store.complete("r", Self.done())
            return try #require(store.record("r")?.requestBody)
        }
        let kept = try completed(in: RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0, compactsBodies: false))
        #expect(kept.storedSize == body.count && kept.contents == body)
        let packed = try completed(in: RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0))
        #expect(packed.storedSize < body.count / 5 && packed.contents == body)
    }

    @Test func bodiesOverTheLimitBecomeAMarker() throws {
        let store = RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 100)
        store.start(Self.record("big", body: Array(repeating: UInt8(ascii: "a"), count: 500), limit: 100))
        let record = try #require(store.record("big"))
        let full = Dictionary(record.fullPairs(limit: 100), uniquingKeysWith: { a, _ in a })
        #expect(
            full["request_body"] == [
                "_truncated": true, "_size": 500, "_reason": "request body exceeded cache_max_request_size (100 bytes)",
            ]
        )
        #expect(full["request_headers"] == ["Authorization": "***REDACTED***", "User-Agent": "test"])
    }

    @Test func statesMoveAndStatisticsCountFinishedRequests() throws {
        let store = RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0)
        store.start(Self.record("a"))
        #expect(store.statistics()["in_flight"] == 1)
        store.update("a", to: .sending)
        store.update("a", to: .receiving, firstByteAfter: 0.25)
        #expect(store.record("a")?.state == .receiving)
        let finished = try #require(store.complete("a", Self.done()))
        #expect(finished.state == .completed && finished.statusCode == 200 && finished.timeToFirstByte == 0.25)
        store.start(Self.record("b", model: "claude"))
        store.complete("b", Self.done(503, tokens: 7))
        #expect(store.record("b")?.state == .error)
        let stats = store.statistics()
        #expect(stats["total_requests"] == 2 && stats["errors"] == 1 && stats["in_flight"] == 0)
        #expect(stats["model_stats"]?["claude"]?["input_tokens"] == 7)
        #expect(stats["tokens"]?["input"] == 12)
        #expect(store.complete("gone", Self.done()) == nil)
    }

    @Test func liveEventsArriveForEveryChange() async {
        let store = RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0)
        let (events, end) = store.subscribe()
        store.start(Self.record("a"))
        store.update("a", to: .sending)
        store.complete("a", Self.done())
        end()
        var kinds: [String] = []
        for await event in events {
            switch event {
            case .request(let summary): kinds.append(summary["state"]?.stringValue ?? "")
            case .stats: kinds.append("stats")
            }
        }
        #expect(kinds == ["pending", "sending", "completed", "stats"])
    }

    @Test func concurrentWritersLoseNothing() async {
        let store = RequestStore(maxEntries: 10_000, maxBytes: 1 << 30, bodyLimit: 0)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for index in 0..<250 {
                        let id = "w\(worker)-\(index)"
                        store.start(Self.record(id))
                        store.update(id, to: .receiving)
                        store.complete(id, Self.done())
                    }
                }
            }
        }
        #expect(store.count == 2000)
        #expect(store.statistics()["total_requests"] == 2000)
        #expect(store.all().allSatisfy { $0.state == .completed })
    }

    @Test func searchLooksAtModelsEndpointsAndBodies() {
        let store = RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0)
        store.start(Self.record("a", body: Array(#"{"q":"Find THE needle"}"#.utf8)))
        store.start(Self.record("b", model: "claude-sonnet-4.5"))
        #expect(store.page(1, perPage: 10, filter: HistoryFilter(search: "the NEEDLE")).items.map(\.id) == ["a"])
        #expect(store.page(1, perPage: 10, filter: HistoryFilter(search: "sonnet")).items.map(\.id) == ["b"])
        #expect(store.page(1, perPage: 10, filter: HistoryFilter(search: "completions")).total == 2)
    }
}
