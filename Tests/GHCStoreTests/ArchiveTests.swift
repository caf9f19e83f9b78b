import GHCCore
import GHCStore
import GHCTestSupport
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct ArchiveTests {
    private func records(_ count: Int) -> [RequestRecord] {
        (0..<count).map { index in
            var record = RequestStoreTests.record(
                "id-\(index)",
                body: Array(#"{"model":"m","messages":[{"role":"user","content":"héllo \#(index)"}]}"#.utf8)
            )
            record.stream = true
            record.responseBody = StoredBody(Array("data: {\"n\":\(index)}\n\ndata: [DONE]\n\n".utf8), limit: 0)
            record.statusCode = 200
            record.state = .completed
            return record
        }
    }

    @Test(arguments: [false, true])
    func exportImportRoundTrip(gzip: Bool) async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.file(gzip ? "a.jsonl.gz" : "a.jsonl")
            let writer = try ArchiveWriter(path: path, gzip: gzip)
            for record in records(300) { try writer.write(record.line(limit: 0)) }
            try writer.close()
            let bytes = try #require(FileManager.default.contents(atPath: path))
            #expect((bytes.prefix(2) == Data([0x1F, 0x8B])) == gzip)
            let store = RequestStore(maxEntries: 1000, maxBytes: 1 << 30, bodyLimit: 0)
            let report = try Archive.read(from: try ArchiveReader(path: path, maxDecompressedBytes: 1 << 30), bodyLimit: 0) {
                store.importRecord($0)
            }
            #expect(report.imported == 300 && report.duplicates == 0 && report.bad.isEmpty)
            let again = try Archive.read(from: try ArchiveReader(path: path, maxDecompressedBytes: 1 << 30), bodyLimit: 0) {
                store.importRecord($0)
            }
            #expect(again.imported == 0 && again.duplicates == 300)
            let back = try #require(store.record("id-7"))
            #expect(back.line(limit: 0) == records(8)[7].line(limit: 0))
        }
    }

    @Test func theLineFormatMatchesTheOriginal() throws {
        let line = String(decoding: records(1)[0].line(limit: 0), as: UTF8.self)
        #expect(line.hasSuffix("}\n") && !line.dropLast().contains("\n"))
        #expect(line.contains("héllo"), "non-ASCII is kept as UTF-8")
        let json = try JSONValue.parse(Array(line.utf8))
        #expect(json["raw_events"] == [#"{"n":0}"#])
        #expect(json["response_body"] == .null)
        #expect(line.hasPrefix(#"{"id":"id-0","timestamp":1800000000,"client_ip":"127.0.0.1","request_headers":"#))
    }

    @Test func badLinesAreCountedWithTheirNumbersAndDoNotStopTheRest() async throws {
        try await TemporaryDirectory.with { dir in
            let good = String(decoding: records(2)[1].line(limit: 0).dropLast(), as: UTF8.self)
            let path = try dir.write("mixed.jsonl", "\(good)\n{nope\n\n[1]\n{\"id\":\"x\",\"timestamp\":\"2026-11-24T10:00:00Z\"}\n")
            let store = RequestStore(maxEntries: 10, maxBytes: 1 << 30, bodyLimit: 0)
            let report = try Archive.read(from: try ArchiveReader(path: path, maxDecompressedBytes: 1 << 20), bodyLimit: 0) {
                store.importRecord($0)
            }
            #expect(report.imported == 2)
            #expect(report.bad.map(\.line) == [2, 4])
            #expect(store.record("x")?.model == "unknown" && store.record("x")?.timestamp == 1_795_514_400)
        }
    }

    @Test func truncatedAndCorruptArchivesAreErrorsAndBombsAreRefused() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.file("a.jsonl.gz")
            let writer = try ArchiveWriter(path: path, gzip: true)
            for record in records(200) { try writer.write(record.line(limit: 0)) }
            try writer.close()
            let whole = try #require(FileManager.default.contents(atPath: path))
            try whole.prefix(whole.count - 20).write(to: URL(fileURLWithPath: dir.file("cut.jsonl.gz")))
            #expect(throws: ArchiveError.self) {
                _ = try Archive.read(from: try ArchiveReader(path: dir.file("cut.jsonl.gz"), maxDecompressedBytes: 1 << 30), bodyLimit: 0) {
                    _ in true
                }
            }
            var corrupt = whole
            for index in 20..<60 { corrupt[index] ^= 0xFF }
            try corrupt.write(to: URL(fileURLWithPath: dir.file("bad.jsonl.gz")))
            #expect(throws: ArchiveError.self) {
                _ = try Archive.read(from: try ArchiveReader(path: dir.file("bad.jsonl.gz"), maxDecompressedBytes: 1 << 30), bodyLimit: 0) {
                    _ in true
                }
            }
            #expect(throws: ArchiveError.tooLarge(10_000)) {
                _ = try Archive.read(from: try ArchiveReader(path: path, maxDecompressedBytes: 10_000), bodyLimit: 0) { _ in true }
            }
        }
    }

    @Test func dailyFilesGetWholeLinesPerDay() async throws {
        try await TemporaryDirectory.with { dir in
            let files = DailyFiles(directory: dir.file("requests"))
            let writer = DailyFileWriter(files: files)
            let run = Task { await writer.run() }
            for record in records(3) { writer.enqueue(record.line(limit: 0), finishedAt: Date(timeIntervalSince1970: 1_800_000_000)) }
            writer.finish()
            await run.value
            let day = DailyFiles.day(of: Date(timeIntervalSince1970: 1_800_000_000))
            #expect(files.files() == [dir.file("requests/\(day).jl")])
            let text = try #require(dir.read("requests/\(day).jl"))
            #expect(text.split(separator: "\n").count == 3)
            #expect(FileStore.permissions(of: dir.file("requests/\(day).jl")) == 0o600)
            #expect(files.files(since: "2100-01-01").isEmpty)
        }
    }
}
