import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an import did.
public struct ImportReport: Sendable, Equatable {
    /// Records added.
    public var imported = 0
    /// Records skipped because one with the same id was already there.
    public var duplicates = 0
    /// Lines that are not records, with their numbers.
    public var bad: [(line: Int, reason: String)] = []

    /// Creates an empty report.
    public init() {}

    /// Equality on counts and reasons.
    public static func == (lhs: ImportReport, rhs: ImportReport) -> Bool {
        lhs.imported == rhs.imported && lhs.duplicates == rhs.duplicates && lhs.bad.map(\.line) == rhs.bad.map(\.line) && lhs.bad.map(\.reason) == rhs.bad.map(\.reason)
    }

    /// `{"imported", "duplicates", "errors": ["Line N: …"] (first 10), "total_errors"}`.
    public var json: JSONValue {
        ["imported": .int(imported), "duplicates": .int(duplicates), "errors": .array(bad.prefix(10).map { .string("Line \($0.line): \($0.reason)") }),
         "total_errors": .int(bad.count)]
    }
}

/// Reading and writing request archives (JSONL, gzip when the name ends in `.gz`).
public enum Archive {
    /// The default most bytes an archive may inflate to (4 GiB).
    public static let defaultDecompressedLimit = 4 << 30
    /// The default longest line of an archive (64 MiB): records keep bodies up to `cache_max_request_size`.
    public static let defaultMaxLineBytes = 64 << 20

    /// Reads every record of an archive, calling `accept` for each; bad lines are reported and skipped.
    /// `accept` returns `false` for a duplicate.
    public static func read(
        from reader: ArchiveReader, bodyLimit: Int, now: Date = Date(), accept: (RequestRecord) throws -> Bool
    ) throws -> ImportReport {
        var report = ImportReport()
        while true {
            let next: [UInt8]?
            do {
                next = try reader.nextLine()
            } catch {
                guard case .lineTooLong(let number, _) = error else { throw error }
                report.bad.append((number, error.description))
                continue
            }
            guard let line = next else { break }
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do {
                let json = try JSONValue.parse(Array(trimmed))
                let record = try RequestRecord(line: json, limit: bodyLimit, now: now)
                if try accept(record) { report.imported += 1 } else { report.duplicates += 1 }
            } catch let error as JSONParseError {
                report.bad.append((reader.lineNumber, "Invalid JSON - \(error)"))
            } catch let error as ArchiveError {
                report.bad.append((reader.lineNumber, error.description))
            }
        }
        return report
    }
}
