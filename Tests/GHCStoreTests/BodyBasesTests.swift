import GHCCore
import GHCTestSupport
import Logging
import SQLiteNIO
import Synchronization
import Testing

@testable import GHCStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Client bodies stored as deltas of an earlier record's (a conversation's next turn), read back whole, and kept
/// readable through pruning.
@Suite struct BodyBasesTests {
    /// A conversation of `turns` messages of varied words (about 1 KB each, so it compresses no better than prose).
    static func conversation(turns: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let messages = (0..<turns).map { turn in
            let words = (0..<150).map { _ in String(UInt32.random(in: 0...UInt32.max, using: &generator), radix: 36) }
            return #"{"role":"\#(turn % 2 == 0 ? "user" : "assistant")","content":"\#(words.joined(separator: " "))"}"#
        }
        return #"{"model":"claude-opus-4.5","max_tokens":32000,"messages":["# + messages.joined(separator: ",") + "]}"
    }

    /// The next turn of `body`: two more messages.
    static func nextTurn(of body: String) -> String {
        String(body.dropLast(2)) + #",{"role":"assistant","content":"sure"},{"role":"user","content":"and then?"}]}"#
    }

    /// The stored columns of a record: its size and the record its client body is a delta of.
    static func stored(_ id: String, in database: HistoryDatabase) async throws -> (bytes: Int, base: String?) {
        let row = try #require(try await database.read("SELECT stored_bytes, body_base FROM requests WHERE id = ?", [.text(id)]).first)
        return (row.column("stored_bytes")?.integer ?? 0, row.column("body_base")?.string)
    }

    @Test func aTurnIsStoredAsADeltaOfTheOneBeforeAndReadBackWhole() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let first = Self.conversation(turns: 40)
        let second = Self.nextTurn(of: first)
        let unrelated = Self.conversation(turns: 30)
        running.history.enqueue(RequestHistoryTests.record("turn-1", at: RequestHistoryTests.base, request: first))
        await running.history.flush()
        running.history.enqueue(RequestHistoryTests.record("turn-2", at: RequestHistoryTests.base + 30, request: second))
        running.history.enqueue(RequestHistoryTests.record("other", at: RequestHistoryTests.base + 31, request: unrelated))
        await running.history.flush()
        let database = try await running.database()

        let (wholeBytes, noBase) = try await Self.stored("turn-1", in: database)
        let (deltaBytes, base) = try await Self.stored("turn-2", in: database)
        #expect(noBase == nil)
        #expect(base == "turn-1")
        #expect(deltaBytes * 10 < wholeBytes, "the next turn costs a fraction of the first")
        #expect(try await Self.stored("other", in: database).base == nil, "a body that shares little is stored whole")

        let read = try #require(try await database.record(id: "turn-2"))
        #expect(read.originalRequestBody?.contents == Array(second.utf8))
        #expect(read.requestBody?.contents == Array(second.utf8))
        var exported: [String: [UInt8]] = [:]
        try await database.each(HistoryFilter()) { records in
            for record in records { exported[record.id] = record.originalRequestBody?.contents }
        }
        #expect(exported == ["turn-1": Array(first.utf8), "turn-2": Array(second.utf8), "other": Array(unrelated.utf8)])
        await running.stop()
    }

    @Test func pruningKeepsARecordWhileALaterOneIsStoredAgainstItsBody() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        let days = Mutex(60)
        let history = RequestHistory(
            path: directory.file("requests.db"),
            retention: { .init(maxDays: days.withLock { $0 }, maxBytes: 1 << 40) },
            logger: Logger(label: "t")
        )
        let writer = Task { await history.run() }
        await history.untilRunning()
        let cutoff = Date().timeIntervalSince1970 - 30 * 86_400
        let first = Self.conversation(turns: 40)
        let second = Self.nextTurn(of: first)
        history.enqueue(RequestHistoryTests.record("past", at: cutoff - 600, request: first))
        await history.flush()
        history.enqueue(RequestHistoryTests.record("kept", at: cutoff + 600, request: second))
        await history.flush()
        let database = try #require(history.database)
        #expect(try await Self.stored("kept", in: database).base == "past")

        days.withLock { $0 = 30 }
        #expect(try await history.prune() == 0, "the record past the retention stays while the kept one needs its body")
        #expect(try await database.record(id: "kept")?.originalRequestBody?.contents == Array(second.utf8))
        days.withLock { $0 = 0 }
        #expect(try await history.prune() == 2, "both go once neither is kept")
        #expect(try await database.size().records == 0)
        history.finish()
        await writer.value
    }

    @Test func aBaseDeletedMeanwhileIsNotNamedAndTheBodyIsStoredWhole() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let first = Self.conversation(turns: 40)
        let second = Self.nextTurn(of: first)
        running.history.enqueue(RequestHistoryTests.record("turn-1", at: RequestHistoryTests.base, request: first))
        await running.history.flush()
        let database = try await running.database()
        // As another `serve` on the same file would, pruning it.
        try await database.writer.run("DELETE FROM requests WHERE id = 'turn-1'")
        running.history.enqueue(RequestHistoryTests.record("turn-2", at: RequestHistoryTests.base + 30, request: second))
        await running.history.flush()
        #expect(try await Self.stored("turn-2", in: database).base == nil)
        #expect(try await database.record(id: "turn-2")?.originalRequestBody?.contents == Array(second.utf8))
        await running.stop()
    }

    @Test func ofTwoRecordsWithOneIdOnlyTheOneStoredIsABase() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let stored = Self.conversation(turns: 40)
        let ignored = String(stored.prefix(stored.count / 2)) + String(Self.conversation(turns: 40).suffix(stored.count / 2))
        let imported = try await running.history.importRecords([
            RequestHistoryTests.record("same", at: RequestHistoryTests.base, request: stored),
            RequestHistoryTests.record("same", at: RequestHistoryTests.base, request: ignored),
        ])
        #expect(imported == 1)
        let next = Self.nextTurn(of: ignored)
        running.history.enqueue(RequestHistoryTests.record("next", at: RequestHistoryTests.base + 30, request: next))
        await running.history.flush()
        let database = try await running.database()
        #expect(try await database.record(id: "same")?.originalRequestBody?.contents == Array(stored.utf8))
        #expect(
            try await database.record(id: "next")?.originalRequestBody?.contents == Array(next.utf8),
            "never a delta of the body that was not stored"
        )
        await running.stop()
    }

    @Test func aHistoryOfThePreviousSchemaIsMigratedAndItsRowsStillRead() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        let old = try await SQLiteConnection.open(storage: .file(path: directory.file("requests.db")))
        for statement in HistorySchema.migrations[0] { try await old.run(statement) }
        try await old.run("PRAGMA user_version = 1")
        let oldBody = Array(#"{"messages":[{"role":"user","content":"from before"}]}"#.utf8)
        let column = [StoredBody.ColumnKind.plain.rawValue] + (0..<8).map { UInt8(truncatingIfNeeded: oldBody.count >> ($0 * 8)) } + oldBody
        try await old.run(
            "INSERT INTO requests (id, timestamp, model, endpoint, state, stream, duration, input_tokens, output_tokens, "
                + "cache_read_tokens, cache_creation_tokens, request_size, response_size, client_ip, user_id, headers, "
                + "original_request_body, stored_bytes) VALUES ('before', ?, 'gpt-4.1', '/v1/chat/completions', 'completed', 0, 1, "
                + "0, 0, 0, 0, 0, 0, '127.0.0.1', 'anonymous', '[]', ?, 0)",
            [.float(RequestHistoryTests.base - 60), .blob(ByteBuffer(bytes: column))]
        )
        try await old.close()
        let running = try RunningHistory(directory: directory)
        await running.history.untilRunning()
        let body = Self.conversation(turns: 30)
        running.history.enqueue(RequestHistoryTests.record("after", at: RequestHistoryTests.base, request: body))
        await running.history.flush()
        let database = try await running.database()
        #expect(try await database.read("PRAGMA user_version").first?.column("user_version")?.integer == HistorySchema.currentVersion)
        #expect(try await database.record(id: "after")?.originalRequestBody?.contents == Array(body.utf8))
        #expect(try await database.record(id: "before")?.originalRequestBody?.contents == oldBody)
        await running.stop()
    }

    @Test func theBaseChosenIsTheOneSharingTheLongestStart() {
        let body = Array(String(repeating: "abcdefgh", count: 4000).utf8)
        var bases = BodyBases()
        var near = body
        near[30_000] = 0x21
        var far = body
        far[2000] = 0x21
        bases.update(used: [], added: [.init(id: "far", timestamp: 100, body: far), .init(id: "near", timestamp: 100, body: near)])
        let column = bases.column(for: StoredBody(body, limit: 0), at: 160)
        #expect(column.base == "near")
        #expect(column.newBase == nil)
        #expect(bases.column(for: StoredBody(body, limit: 0), at: 100 + BodyBases.maximumAge + 1).base == nil, "too old")
        #expect(BodyBases.sharedStart(body, near) == 30_000)
    }
}
