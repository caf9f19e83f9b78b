import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an import did.
package struct ImportReport: Sendable, Equatable {
    /// Records added.
    package var imported = 0
    /// Records skipped because one with the same id was already there.
    package var duplicates = 0
    /// Lines that are not records, with their numbers.
    package var bad: [(line: Int, reason: String)] = []

    /// Creates an empty report.
    package init() {}

    /// Equality on counts and reasons.
    package static func == (lhs: ImportReport, rhs: ImportReport) -> Bool {
        lhs.imported == rhs.imported && lhs.duplicates == rhs.duplicates && lhs.bad.map(\.line) == rhs.bad.map(\.line)
            && lhs.bad.map(\.reason) == rhs.bad.map(\.reason)
    }

    /// Counts as duplicates the records of a batch that was accepted but of which only `inserted` were new.
    package mutating func settle(batch: Int, inserted: Int) {
        imported -= batch - inserted
        duplicates += batch - inserted
    }

    /// `{"imported", "duplicates", "errors": ["Line N: …"] (first 10), "total_errors"}`.
    package var json: JSONValue {
        [
            "imported": .int(imported), "duplicates": .int(duplicates),
            "errors": .array(bad.prefix(10).map { .string("Line \($0.line): \($0.reason)") }),
            "total_errors": .int(bad.count),
        ]
    }
}

/// Reading and writing request archives (JSONL, gzip when the name ends in `.gz`).
package enum Archive {
    /// The default most bytes an archive may inflate to (4 GiB).
    package static let defaultDecompressedLimit = 4 << 30
    /// The default longest line of an archive (64 MiB): records keep bodies up to `cache_max_request_size`.
    package static let defaultMaxLineBytes = 64 << 20

    /// Reads every record of an archive, calling `accept` for each; bad lines are reported and skipped.
    /// `accept` returns `false` for a duplicate.
    package static func read(
        from reader: ArchiveReader,
        bodyLimit: Int,
        now: Date = Date(),
        accept: (RequestRecord) throws -> Bool
    ) throws -> ImportReport {
        var report = ImportReport()
        try consume(next: reader.nextLine, number: { reader.lineNumber }, into: &report, bodyLimit: bodyLimit, now: now, accept: accept)
        return report
    }

    /// Reads every record of an archive in batches of at most `batchSize`, handing each to `store`, which returns how
    /// many of them were new (the rest count as duplicates); bad lines are reported and skipped.
    package static func read(
        from reader: ArchiveReader,
        bodyLimit: Int,
        batchSize: Int,
        now: Date = Date(),
        store: ([RequestRecord]) async throws -> Int
    ) async throws -> ImportReport {
        var report = ImportReport()
        var exhausted = false
        while !exhausted {
            var batch: [RequestRecord] = []
            let next = { () throws(ArchiveError) -> [UInt8]? in
                let line = try reader.nextLine()
                exhausted = line == nil
                return line
            }
            let collect = { (record: RequestRecord) -> Bool in
                batch.append(record)
                return true
            }
            let number = { reader.lineNumber }
            try consume(next: next, number: number, into: &report, bodyLimit: bodyLimit, now: now, until: batchSize, accept: collect)
            if !batch.isEmpty { report.settle(batch: batch.count, inserted: try await store(batch)) }
        }
        return report
    }

    /// Reads the records whose lines `decoder` has whole so far (an upload as it arrives), adding to `report`.
    package static func drain(
        _ decoder: ArchiveDecoder,
        into report: inout ImportReport,
        bodyLimit: Int,
        now: Date = Date(),
        accept: (RequestRecord) throws -> Bool
    ) throws {
        try consume(next: decoder.nextLine, number: { decoder.lineNumber }, into: &report, bodyLimit: bodyLimit, now: now, accept: accept)
    }

    /// Takes lines from `next` until it has none (or `until` records were accepted); an over-long line is reported by
    /// its number and skipped.
    private static func consume(
        next: () throws(ArchiveError) -> [UInt8]?,
        number: () -> Int,
        into report: inout ImportReport,
        bodyLimit: Int,
        now: Date,
        until: Int = .max,
        accept: (RequestRecord) throws -> Bool
    ) throws {
        let start = report.imported + report.duplicates
        while report.imported + report.duplicates - start < until {
            let line: [UInt8]?
            do {
                line = try next()
            } catch {
                guard case .lineTooLong(let number, _) = error else { throw error }
                report.bad.append((number, error.description))
                continue
            }
            guard let line else { return }
            try take(line, number: number(), into: &report, bodyLimit: bodyLimit, now: now, accept: accept)
        }
    }

    /// One line: skipped when blank, else a record or a bad line with its number.
    private static func take(
        _ line: [UInt8],
        number: Int,
        into report: inout ImportReport,
        bodyLimit: Int,
        now: Date,
        accept: (RequestRecord) throws -> Bool
    ) throws {
        let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
        if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
        do {
            let json = try JSONValue.parse(Array(trimmed))
            let record = try RequestRecord(line: json, limit: bodyLimit, now: now)
            if try accept(record) { report.imported += 1 } else { report.duplicates += 1 }
        } catch let error as JSONParseError {
            report.bad.append((number, "Invalid JSON - \(error)"))
        } catch let error as ArchiveError {
            report.bad.append((number, error.description))
        }
    }
}
