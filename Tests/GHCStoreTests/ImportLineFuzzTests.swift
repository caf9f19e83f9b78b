import GHCCore
import GHCStore
import PropertyBased
import Testing

/// Generated archive lines against the import reader: every line is a record or a numbered bad line, never a trap,
/// and the reader's memory stays bounded by its line limit.
@Suite struct ImportLineFuzzTests {
    /// Values a damaged or hostile line may carry in any field.
    static let values: [String] = [
        "0", "-1", "1e19", "1e15", "1e308", "-1e308", "\"nan\"", "\"inf\"", "\"-inf\"", "NaN", "1.5", "9223372036854775807",
        "\"2026-11-24T10:00:00Z\"",
        "\"x\"", "null", "true", "[]", "{}", "{\"_truncated\":true,\"_size\":-1}", "{\"_truncated\":true,\"_size\":1e15}",
        "{\"_truncated\":true,\"_size\":\"big\"}", "{\"_truncated\":true}", "[\"{\\\"a\\\":1}\"]", "[1,2]",
    ]
    static let fields = [
        "id", "timestamp", "status_code", "request_size", "response_size", "input_tokens", "output_tokens", "duration",
        "time_to_first_byte",
        "request_body", "response_body", "original_request_body", "raw_events", "state", "stream", "request_headers",
    ]
    /// Lines of up to eight members, each a field with one of the values.
    static let lines = Gen<Int>.int(in: 0...(fields.count * values.count - 1)).array(of: 0...8).array(of: 1...4).map {
        (picks: [[Int]]) -> [String] in
        picks.map { members in
            "{" + members.map { "\"\(fields[$0 % fields.count])\":\(values[$0 / fields.count])" }.joined(separator: ",") + "}"
        }
    }

    @Test func everyGeneratedLineIsARecordOrANumberedBadLine() async throws {
        await propertyCheck(count: 10_000, input: Self.lines) { (lines: [String]) in
            let store = RequestStore(maxEntries: 100, maxBytes: 1 << 30, bodyLimit: 0)
            let text = lines.joined(separator: "\n") + "\n"
            let reader = ArchiveReader(bytes: Array(text.utf8), maxDecompressedBytes: 1 << 20, maxLineBytes: 4096)
            do {
                let report = try Archive.read(from: reader, bodyLimit: 0) { store.importRecord($0) }
                #expect(report.imported + report.duplicates + report.bad.count == lines.count)
                #expect(report.bad.allSatisfy { (1...lines.count).contains($0.line) })
                for record in store.all() { _ = record.line(limit: 0) }
            } catch {
                Issue.record("the reader failed as a whole on lines it should have judged one by one: \(error)")
            }
        }
    }

    @Test func randomBytesNeverTrapTheReader() async {
        await propertyCheck(count: 10_000, input: Gen<UInt8>.value(in: 0...255).array(of: 0...300)) { (bytes: [UInt8]) in
            let reader = ArchiveReader(bytes: bytes, maxDecompressedBytes: 1 << 20, maxLineBytes: 128)
            _ = try? Archive.read(from: reader, bodyLimit: 0) { _ in true }
        }
    }
}
