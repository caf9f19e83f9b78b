import GHCCore
import GHCStore
import GHCTestSupport
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Lines and files that are damaged or hostile: each is reported and skipped, never a trap, never unbounded memory.
@Suite struct DamagedInputTests {
    private func read(_ text: String, maxLine: Int = Archive.defaultMaxLineBytes) async throws -> (ImportReport, RequestStore) {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("lines.jl", text)
            let store = RequestStore(maxEntries: 100, maxBytes: 1 << 30, bodyLimit: 0)
            let reader = try ArchiveReader(path: path, maxDecompressedBytes: 1 << 30, maxLineBytes: maxLine)
            let report = try Archive.read(from: reader, bodyLimit: 0) { store.importRecord($0) }
            return (report, store)
        }
    }

    static let hostileLines: [(String, String)] = [
        (#"{"id":"a","timestamp":"nan"}"#, "`timestamp`"),
        (#"{"id":"a","timestamp":"inf"}"#, "`timestamp`"),
        (#"{"id":"a","timestamp":1e19}"#, "`timestamp`"),
        (#"{"id":"a","timestamp":-5}"#, "`timestamp`"),
        (#"{"id":"a","request_body":{"_truncated":true,"_size":-1}}"#, "`request_body._size`"),
        (#"{"id":"a","response_body":{"_truncated":true,"_size":1e15}}"#, "`response_body._size`"),
        (#"{"id":"a","status_code":1e300}"#, "`status_code`"),
        (#"{"id":"a","input_tokens":-3}"#, "`input_tokens`"),
        (#"{"id":"a","duration":1e308}"#, "`duration`"),
        (#"{"id":"a","request_size":"big"}"#, "`request_size`"),
    ]

    @Test(arguments: hostileLines)
    func aHostileNumberIsABadLineNotATrap(line: String, field: String) async throws {
        let (report, store) = try await read("\(line)\n" + #"{"id":"fine","timestamp":1800000000}"# + "\n")
        #expect(report.imported == 1 && store.record("fine") != nil)
        #expect(report.bad.map(\.line) == [1])
        #expect(report.bad.first?.reason.contains(field) == true, "\(report.bad)")
    }

    @Test func aTruncatedMarkerKeepsItsSizeWithoutAllocatingIt() async throws {
        let (report, store) = try await read(#"{"id":"t","request_body":{"_truncated":true,"_size":1099511627776}}"# + "\n")
        #expect(report.imported == 1)
        let body = try #require(store.record("t")?.requestBody)
        #expect(body.truncated && body.originalSize == 1 << 40 && body.storedSize == 0)
    }

    /// A line exactly as ghc-api 1.0.31 writes it: Python's separators, two-decimal durations, `raw_events` beside
    /// the `response_body` it built, and no `stream` or `error`.
    @Test func theOriginalsLinesKeepTheirAnswer() async throws {
        let line =
            #"{"id": "py-7", "timestamp": 1795514400.123, "client_ip": "127.0.0.1", "request_headers": {"User-Agent": "x"}, "#
            + #""request_body": {"model": "claude-sonnet-4.5", "messages": [{"role": "user", "content": "hi"}]}, "#
            + #""response_body": {"id": "msg_1", "type": "message", "content": [{"type": "text", "text": "hello"}]}, "#
            + #""raw_events": ["{\"type\": \"message_start\"}", "{\"type\": \"message_stop\"}"], "model": "claude-sonnet-4.5", "#
            + #""endpoint": "/v1/messages", "status_code": 200, "duration": 1.25, "time_to_first_byte": 0.31, "input_tokens": 12, "output_tokens": 3}"#
        let (report, store) = try await read(line + "\n")
        #expect(report.imported == 1 && report.bad.isEmpty)
        let record = try #require(store.record("py-7"))
        let answer = try JSONValue.parse(try #require(record.responseBody?.contents))
        #expect(answer["content"]?.arrayValue?.first?["text"] == "hello")
        #expect(record.stream && record.duration == 1.25 && record.timeToFirstByte == 0.31 && record.timestamp == 1_795_514_400)
    }

    @Test func anOverlongLineIsSkippedByNumberAndReadingGoesOn() async throws {
        let long = #"{"id":"long","pad":""# + String(repeating: "x", count: 300_000) + #""}"#
        let text = #"{"id":"one"}"# + "\n" + long + "\n" + #"{"id":"three"}"# + "\n" + long
        let (report, store) = try await read(text, maxLine: 100_000)
        #expect(report.imported == 2 && store.record("one") != nil && store.record("three") != nil)
        #expect(report.bad.map(\.line) == [2, 4])
        #expect(report.bad.first?.reason.contains("longer than 100000 bytes") == true)
    }

    @Test func manyShortLinesInOneLargeReadAreEachReadOnce() async throws {
        let lines = (0..<20_000).map { #"{"id":"r\#($0)","timestamp":1800000000}"# }.joined(separator: "\n")
        let (report, _) = try await read(lines)
        #expect(report.imported == 20_000 && report.bad.isEmpty)
    }

    @Test func anArchiveWriterLeavesTheOldFileUntilItIsClosed() async throws {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("out.jsonl", "old contents\n")
            let writer = try ArchiveWriter(path: path, gzip: false)
            try writer.write(Array("new line\n".utf8))
            #expect(dir.read("out.jsonl") == "old contents\n")
            try writer.close()
            #expect(dir.read("out.jsonl") == "new line\n")
            let abandoned = try ArchiveWriter(path: path, gzip: true)
            try abandoned.write(Array("never\n".utf8))
            _ = abandoned
        }
    }

    @Test func theDailyFileQueueIsBoundedAndCountsWhatItDrops() async throws {
        try await TemporaryDirectory.with { dir in
            let writer = DailyFileWriter(files: DailyFiles(directory: dir.file("requests")), maxQueuedBytes: 100)
            for _ in 0..<5 { writer.enqueue(Array(String(repeating: "x", count: 39).utf8) + [0x0A], finishedAt: Date()) }
            #expect(writer.losses.dropped == 3 && writer.queuedBytes == 80)
            writer.finish()
            await writer.run()
            #expect(writer.queuedBytes == 0)
            let files = DailyFiles(directory: dir.file("requests")).files()
            #expect(files.count == 1)
            let text = try FileStore.readText(files[0])
            #expect(text?.split(separator: "\n").count == 2)
        }
    }
}
