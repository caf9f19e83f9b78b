import GHCCore
import GHCStore
import GHCTestSupport
import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A history in a temporary folder, with its writer running.
struct RunningHistory {
    let directory: TemporaryDirectory
    let history: RequestHistory
    let writer: Task<Void, Never>

    init(directory: TemporaryDirectory? = nil, retention: RequestHistory.Retention = .init(maxDays: 30, maxBytes: 1 << 40)) throws {
        let directory = try directory ?? TemporaryDirectory(prefix: "history")
        self.directory = directory
        history = RequestHistory(path: directory.file("requests.db"), retention: { retention }, logger: Logger(label: "test"))
        let history = self.history
        writer = Task { await history.run() }
    }

    /// A history whose writer is running (so `flush` waits for it).
    static func started(directory: TemporaryDirectory? = nil) async throws -> RunningHistory {
        let running = try RunningHistory(directory: directory)
        await running.history.untilRunning()
        return running
    }

    /// Waits until the writer has opened the database.
    func database() async throws -> HistoryDatabase {
        for _ in 0..<500 {
            if let database = history.database { return database }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HistoryError.unavailable("the writer never opened the database")
    }

    /// Writes what is queued and stops the writer.
    func stop() async {
        history.finish()
        await writer.value
    }
}

@Suite struct RequestHistoryTests {
    /// A day ago: recent enough that the writer's pruning by age (30 days) keeps it.
    static let base = Date().timeIntervalSince1970 - 86_400

    static func record(
        _ id: String,
        at timestamp: Double = base,
        model: String = "claude-sonnet-4.6",
        request: String = #"{"messages":[{"role":"user","content":"hello"}]}"#,
        response: String = #"{"content":[{"type":"text","text":"hi"}]}"#,
        stream: Bool = false,
        status: Int = 200
    ) -> RequestRecord {
        var record = RequestRecord(
            id: id,
            timestamp: timestamp,
            clientIP: "127.0.0.1",
            requestHeaders: [("User-Agent", "claude-cli/2.1"), ("Authorization", "***REDACTED***")],
            model: model,
            endpoint: "/v1/messages"
        )
        record.originalRequestBody = StoredBody(Array(request.utf8), limit: 0)
        record.requestBody = record.originalRequestBody
        record.responseBody = StoredBody(Array(response.utf8), limit: 0)
        record.stream = stream
        record.statusCode = status
        record.state = status < 400 ? .completed : .error
        record.usage = TokenUsage(input: 10, output: 3, cacheRead: 2, cacheCreation: 1)
        record.duration = 1.25
        return record
    }

    @Test func historySurvivesAReopenWithEveryFieldAndBody() async throws {
        let first = try await RunningHistory.started()
        defer { first.directory.remove() }
        var original = Self.record("r1", request: String(repeating: #"{"messages":[{"role":"user","content":"a long prompt"}]}"#, count: 1))
        original.requestBody = StoredBody(Array(#"{"model":"claude-sonnet-4.6","shaped":true}"#.utf8), limit: 0)
        original.extra = ["custom_key": "kept"]
        first.history.enqueue(original)
        first.history.enqueue(Self.record("r2", at: Self.base + 100))
        await first.stop()

        let second = try await RunningHistory.started(directory: first.directory)
        let database = try await second.database()
        let page = try await database.page(HistoryFilter(), cursor: nil, offset: 0, limit: 10)
        #expect(page.items.map(\.id) == ["r2", "r1"])
        #expect(page.total == 2)
        let stored = try #require(try await database.record(id: "r1"))
        #expect(stored.line(limit: 0) == original.line(limit: 0))
        await second.stop()
    }

    /// Bodies reach the writer as they were sent (the request path no longer compresses them); the writer stores them
    /// compressed, and they read back byte for byte.
    @Test func bodiesHeldPlainAreStoredCompressed() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let prompt = (0..<4_000).map { "line \($0) of a file the agent read, with \($0 % 97) words" }.joined(separator: "\n")
        var records: [RequestRecord] = []
        for index in 0..<20 {
            var record = Self.record("plain\(index)")
            record.originalRequestBody = StoredBody(Array(prompt.utf8), limit: 0, compress: false)
            record.requestBody = record.originalRequestBody
            records.append(record)
            running.history.enqueue(record)
        }
        await running.history.flush()
        let database = try await running.database()
        let size = try await database.size()
        #expect(size.records == 20)
        #expect(size.bytes < 20 * prompt.utf8.count / 2)
        let stored = try #require(try await database.record(id: "plain7"))
        #expect(stored.originalRequestBody?.contents == Array(prompt.utf8))
        await running.stop()
    }

    @Test(arguments: [
        ("zebra", ["answer", "stream", "chat", "tool"]),
        ("zebr*", ["answer", "stream", "chat", "tool"]),
        ("\"striped zebra\"", ["answer", "stream"]),
        ("\"zebra striped\"", []),
        ("src AND parser", ["tool", "chattool"]),
        ("parser.swift", ["tool", "chattool"]),
        ("model:gpt", ["chat", "chattool"]),
        ("answer:question", []),
        ("question", ["answer"]),
        ("reminder", []),
    ])
    func searchFindsWordsOfAnswersToolInputsAndNewTurns(query: String, expected: [String]) async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let history = running.history
        let conversation =
            #"{"system":"an old reminder","messages":[{"role":"user","content":"first"},{"role":"assistant","content":"ok"},"#
            + #"{"role":"user","content":[{"type":"text","text":"a question"}]}]}"#
        history.enqueue(
            Self.record(
                "answer",
                at: Self.base + 1,
                request: conversation,
                response: #"{"content":[{"type":"text","text":"a striped zebra"}]}"#
            )
        )
        let events = [
            #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a stri"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ped zeb"}}"#,
            #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ra"}}"#,
        ].map { "event: x\ndata: \($0)\n\n" }.joined()
        history.enqueue(Self.record("stream", at: Self.base + 2, response: events, stream: true))
        let chat = #"data: {"choices":[{"delta":{"content":"zebra crossing"}}]}"# + "\n\ndata: [DONE]\n\n"
        history.enqueue(Self.record("chat", at: Self.base + 3, model: "gpt-4.1", response: chat, stream: true))
        let tool =
            #"{"content":[{"type":"tool_use","id":"t1","name":"Read","input":{"file_path":"/src/parser.swift","note":"zebra"}}]}"#
        history.enqueue(Self.record("tool", at: Self.base + 4, response: tool))
        let chatTool =
            #"data: {"choices":[{"delta":{"tool_calls":[{"function":{"name":"Read","arguments":"{\"path\":\"/src/pa"}}]}}]}"#
            + "\n\n" + #"data: {"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"rser.swift\"}"}}]}}]}"# + "\n\n"
        history.enqueue(Self.record("chattool", at: Self.base + 5, model: "gpt-4.1-mini", response: chatTool, stream: true))
        await history.flush()
        let database = try await running.database()
        let page = try await database.page(HistoryFilter(search: query), cursor: nil, offset: 0, limit: 50)
        #expect(Set(page.items.map(\.id)) == Set(expected), "\(query)")
        #expect(page.total == expected.count)
        await running.stop()
    }

    @Test(arguments: [false, true])
    func thePromptTakenOnTheRequestPathIndexesWhatTheBodyWould(takenOnThePath: Bool) async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let conversations = [
            #"{"system":"an old reminder","messages":[{"role":"user","content":"first"},{"role":"assistant","content":"ok"},"#
                + #"{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"a question"}]}]}"#,
            #"{"instructions":"be brief","input":[{"role":"user","content":[{"type":"input_text","text":"an okapi"}]}]}"#,
        ]
        for (index, body) in conversations.enumerated() {
            var record = Self.record("r\(index)", at: Self.base + Double(index), request: body)
            if takenOnThePath { record.searchPrompt = SearchText.prompt(of: try JSONValue.parse(Array(body.utf8))) }
            running.history.enqueue(record)
        }
        await running.history.flush()
        let database = try await running.database()
        for (query, expected) in [("question", ["r0"]), ("reminder", []), ("first", []), ("okapi", ["r1"]), ("brief", ["r1"])] {
            let page = try await database.page(HistoryFilter(search: "prompt:\(query)"), cursor: nil, offset: 0, limit: 10)
            #expect(page.items.map(\.id) == expected, "\(query)")
        }
        await running.stop()
    }

    @Test(arguments: ["\"never closed", "zebra AND", "(zebra", "NOT"])
    func searchesFTS5CannotReadAreBadSearches(query: String) async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        running.history.enqueue(Self.record("a"))
        await running.history.flush()
        let database = try await running.database()
        let nothingToSearch = (try? SearchExpression.fts(query)) == nil && (try? SearchExpression.fts(query + " x")) != nil
        if nothingToSearch {
            // Nothing to search for: the whole list.
            #expect(try await database.page(HistoryFilter(search: query), cursor: nil, offset: 0, limit: 5).total == 1)
        } else {
            await #expect {
                try await database.page(HistoryFilter(search: query), cursor: nil, offset: 0, limit: 5)
            } throws: { error in
                guard case .badSearch = error as? HistoryError else { return false }
                return true
            }
        }
        await running.stop()
    }

    @Test func keysetPagesWalkEveryRecordOnceNewestFirst() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        // Two records share each timestamp, so the row breaks ties.
        for index in 0..<25 { running.history.enqueue(Self.record("r\(index)", at: Self.base + Double(index / 2))) }
        await running.history.flush()
        let database = try await running.database()
        var seen: [String] = []
        var cursor: HistoryCursor?
        repeat {
            let page = try await database.page(HistoryFilter(), cursor: cursor, offset: 0, limit: 7)
            #expect(page.total == 25)
            seen += page.items.map(\.id)
            cursor = page.nextCursor.flatMap(HistoryCursor.init)
        } while cursor != nil
        #expect(seen == (0..<25).reversed().map { "r\($0)" })
        await running.stop()
    }

    @Test func filtersRunAsSQL() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        running.history.enqueue(Self.record("ok-old", at: Self.base + 1000))
        running.history.enqueue(Self.record("ok-new", at: Self.base + 5000, model: "gpt-4.1"))
        running.history.enqueue(Self.record("failed", at: Self.base + 3000, status: 429))
        await running.history.flush()
        let database = try await running.database()
        func ids(_ filter: HistoryFilter) async throws -> [String] {
            try await database.page(filter, cursor: nil, offset: 0, limit: 10).items.map(\.id)
        }
        #expect(try await ids(HistoryFilter(model: "gpt-4.1")) == ["ok-new"])
        #expect(try await ids(HistoryFilter(status: "error")) == ["failed"])
        #expect(try await ids(HistoryFilter(status: "4xx")) == ["failed"])
        #expect(try await ids(HistoryFilter(status: "ok")) == ["ok-new", "ok-old"])
        #expect(try await ids(HistoryFilter(since: Self.base + 2000, until: Self.base + 4000)) == ["failed"])
        #expect(try await ids(HistoryFilter(endpoint: "/v1/chat/completions")) == [])
        await running.stop()
    }

    @Test func pruningDeletesByAgeThenBySize() async throws {
        let now = Date().timeIntervalSince1970
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        let budget = Mutex(RequestHistory.Retention(maxDays: 10, maxBytes: 1 << 40))
        let history = RequestHistory(path: directory.file("requests.db"), retention: { budget.withLock { $0 } }, logger: Logger(label: "t"))
        let writer = Task { await history.run() }
        await history.untilRunning()
        // Varied text, so the bodies take room even compressed.
        func text() -> String { (0..<4000).map { _ in String(UInt32.random(in: 0...99_999), radix: 36) }.joined(separator: " ") }
        for day in 0..<20 {
            history.enqueue(Self.record("day-\(day)", at: now - Double(day) * 86_400 - 60, request: #"{"prompt":"\#(text())"}"#))
        }
        await history.flush()
        // The writer prunes on its own after its first write; this one finds what is left past the limit, if anything.
        try await history.prune()
        let database = try #require(history.database)
        let left = try await database.page(HistoryFilter(), cursor: nil, offset: 0, limit: 50).items.map(\.id)
        #expect(left == (0..<10).map { "day-\($0)" })
        let used = try await database.size().bytes
        budget.withLock { $0.maxBytes = used / 2 }
        #expect(try await history.prune() > 0)
        let after = try await database.size()
        #expect(after.bytes <= used / 2)
        let newest = try await database.page(HistoryFilter(), cursor: nil, offset: 0, limit: 50).items.map(\.id)
        #expect(newest == (0..<after.records).map { "day-\($0)" }, "the oldest go first")
        history.finish()
        await writer.value
    }

    @Test func aDamagedFileIsMovedAsideAndANewHistoryStarts() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        try directory.write("requests.db", String(repeating: "this is not a database\n", count: 500))
        let running = try await RunningHistory.started(directory: directory)
        _ = try await running.database()
        running.history.enqueue(Self.record("fresh"))
        await running.history.flush()
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let aside = try #require(names.first { $0.hasPrefix("requests.db.corrupt-") })
        #expect(try String(contentsOfFile: directory.file(aside), encoding: .utf8).hasPrefix("this is not a database"))
        #expect(try await running.database().page(HistoryFilter(), cursor: nil, offset: 0, limit: 5).items.map(\.id) == ["fresh"])
        await running.stop()
    }

    @Test func aDamagedPageIsFoundAfterOpeningAndTheFileMovedAside() async throws {
        let first = try await RunningHistory.started()
        defer { first.directory.remove() }
        let words = (0..<3000).map { String($0, radix: 7) }.joined(separator: " ")
        for index in 0..<100 { first.history.enqueue(Self.record("old-\(index)", request: #"{"prompt":"\#(words)"}"#)) }
        await first.stop()
        let path = first.directory.file("requests.db")
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        let descriptor = open(path, O_WRONLY)
        #expect(pwrite(descriptor, [UInt8](repeating: 0x5A, count: 8192), 8192, off_t(size / 2 / 4096 * 4096)) == 8192)
        close(descriptor)

        let second = try await RunningHistory.started(directory: first.directory)
        second.history.enqueue(Self.record("after"))
        while !(try FileManager.default.contentsOfDirectory(atPath: first.directory.path).contains { $0.hasPrefix("requests.db.corrupt-") })
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        while second.history.database == nil { try await Task.sleep(for: .milliseconds(20)) }
        await second.history.flush()
        let page = try await second.database().page(HistoryFilter(), cursor: nil, offset: 0, limit: 5)
        #expect(page.items.map(\.id) == ["after"], "a new history holds what came after")
        await second.stop()
    }

    @Test func recordingPausesWhileTheFolderCannotBeUsedAndResumesByItself() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        // A file where the history's folder should be: nothing can be created under it, even by root.
        try directory.write("blocked", "")
        let history = RequestHistory(
            path: directory.file("blocked/requests.db"),
            retention: { .init(maxDays: 30, maxBytes: 1 << 40) },
            logger: Logger(label: "t")
        )
        let writer = Task { await history.run() }
        await history.untilRunning()
        #expect(history.enqueue(Self.record("queued")))
        while history.problem == nil { try await Task.sleep(for: .milliseconds(20)) }
        await history.flush()  // returns at once while paused
        #expect(history.database == nil)
        _ = try FileStore.remove(directory.file("blocked"))
        try FileManager.default.createDirectory(atPath: directory.file("blocked"), withIntermediateDirectories: false)
        while history.database == nil { try await Task.sleep(for: .milliseconds(50)) }
        await history.flush()
        let page = try await #require(history.database).page(HistoryFilter(), cursor: nil, offset: 0, limit: 5)
        #expect(page.items.map(\.id) == ["queued"], "what was queued while paused is written once the folder works")
        #expect(history.problem == nil)
        history.finish()
        await writer.value
    }

    @Test(.timeLimit(.minutes(1))) func newRequestsWaitWhileTheWriterIsBehindAndGoOnceItCatchesUp() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        let written = Mutex<[String]>([])
        let history = RequestHistory(
            path: directory.file("requests.db"),
            backlogLimit: 1024,
            retention: { .init(maxDays: 30, maxBytes: 1 << 40) },
            logger: Logger(label: "t"),
            persisted: { ids in written.withLock { $0 += ids } }
        )
        let writer = Task { await history.run() }
        await history.untilRunning()
        await history.room()  // nothing queued: at once
        #expect(history.enqueue(Self.record("small")))
        await history.room()  // under the limit: at once
        #expect(history.enqueue(Self.record("large", request: #"{"prompt":"\#(String(repeating: "word ", count: 1000))"}"#)))
        await history.room()
        #expect(written.withLock { $0 } == ["small", "large"], "a request held for room goes once what was queued is written")
        history.finish()
        await writer.value
    }

    @Test(.timeLimit(.minutes(1))) func aPausedWriterNeverHoldsRequestsUp() async throws {
        let directory = try TemporaryDirectory(prefix: "history")
        defer { directory.remove() }
        try directory.write("blocked", "")
        let history = RequestHistory(
            path: directory.file("blocked/requests.db"),
            backlogLimit: 1024,
            retention: { .init(maxDays: 30, maxBytes: 1 << 40) },
            logger: Logger(label: "t")
        )
        let writer = Task { await history.run() }
        await history.untilRunning()
        while history.problem == nil { try await Task.sleep(for: .milliseconds(20)) }
        for index in 0..<4 {
            #expect(history.enqueue(Self.record("queued-\(index)", request: #"{"prompt":"\#(String(repeating: "word ", count: 1000))"}"#)))
        }
        await history.room()  // returns although the queue is past the limit: the writer cannot write it
        #expect(history.database == nil)
        history.finish()
        await writer.value
    }

    @Test func readersRunBesideTheWriter() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let database = try await running.database()
        let history = running.history
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for index in 0..<2000 {
                    history.enqueue(
                        Self.record(
                            "w\(index)",
                            at: Self.base + Double(index),
                            response: #"{"content":[{"type":"text","text":"word\#(index % 7)"}]}"#
                        )
                    )
                    if index % 100 == 0 { await Task.yield() }
                }
            }
            for reader in 0..<4 {
                group.addTask {
                    var last = 0
                    for _ in 0..<100 {
                        let page = try await database.page(HistoryFilter(search: "word\(reader)"), cursor: nil, offset: 0, limit: 20)
                        #expect(page.total >= last, "a reader never sees the history shrink")
                        last = page.total
                    }
                }
            }
            try await group.waitForAll()
        }
        await history.flush()
        #expect(try await database.size().records == 2000)
        #expect(try await database.page(HistoryFilter(search: "word3"), cursor: nil, offset: 0, limit: 1).total == 286)
        await running.stop()
    }

    @Test func importsSkipIdsAlreadyStoredAndExportReadsEveryLineBack() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        let records = (0..<150).map { Self.record("i\($0)", at: Self.base + Double($0)) }
        #expect(try await running.history.importRecords(Array(records[0..<100])) == 100)
        #expect(try await running.history.importRecords(Array(records[50..<150])) == 50)
        let database = try await running.database()
        var lines: [[UInt8]] = []
        try await database.each(HistoryFilter()) { batch in lines += batch.map { $0.line(limit: 0) } }
        #expect(lines == records.map { $0.line(limit: 0) })
        await running.stop()
    }

    @Test func anImportOfManyStatementsKeepsTheFirstOfARepeatedIdAndIndexesEveryRecord() async throws {
        let running = try await RunningHistory.started()
        defer { running.directory.remove() }
        func prompt(_ word: String) -> String { #"{"messages":[{"role":"user","content":"\#(word)"}]}"# }
        var records = (0..<1_203).map { Self.record("many\($0)", at: Self.base + Double($0), request: prompt("word\($0)x")) }
        // Repeated in the same statement and in a later one.
        records.insert(Self.record("many7", at: Self.base, request: prompt("repeated")), at: 600)
        records.insert(Self.record("many7", at: Self.base, request: prompt("repeated")), at: 10)
        #expect(try await running.history.importRecords(records) == 1_203)
        let database = try await running.database()
        for number in [0, 7, 499, 500, 1_000, 1_202] {
            let page = try await database.page(HistoryFilter(search: "word\(number)x"), cursor: nil, offset: 0, limit: 5)
            #expect(page.items.map(\.id) == ["many\(number)"])
        }
        #expect(try await database.page(HistoryFilter(search: "repeated"), cursor: nil, offset: 0, limit: 5).items.isEmpty)
        await running.stop()
    }
}

extension RequestHistory {
    /// Waits until the writer runs.
    func untilRunning() async {
        while !isRunning { try? await Task.sleep(for: .milliseconds(5)) }
    }
}
