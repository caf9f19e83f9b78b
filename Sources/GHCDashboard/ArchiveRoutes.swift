import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /api/requests/export` (JSONL, oldest first, from the history database when it is open, filtered like the
/// list) and `POST /api/requests/import` (JSONL or gzip, raw or as the multipart field `file`, into the database).
struct ArchiveRoutes: Sendable {
    /// The in-memory window, used while the database is not open.
    let store: RequestStore
    /// The history database.
    let history: RequestHistory?
    /// The live configuration, for the size limits.
    let config: LiveConfig

    /// Streams the records as a JSONL download, oldest first; memory holds one batch of them at a time.
    func export(_ request: Request) async -> Response {
        let filter: HistoryFilter
        do {
            filter = try HistoryBrowser.filter(request, search: nil)
        } catch {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        }
        let limit = config.current.cacheMaxRequestSize
        let name = "requests_\(Timestamp.compact(Date()).replacingAll("-", with: "_")).jl"
        let headers: HTTPFields = [.contentType: "application/x-jsonlines", .contentDisposition: "attachment; filename=\(name)"]
        await history?.flush()
        let database = history?.database
        let store = self.store
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                var buffer = ByteBuffer()
                func add(_ records: [RequestRecord]) async throws {
                    for record in records { buffer.writeBytes(record.line(limit: limit)) }
                    if buffer.readableBytes > 256 << 10 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if let database {
                    try await database.each(filter) { try await add($0) }
                } else {
                    try await add(store.all().filter(filter.accepts))
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                try await writer.finish(nil)
            }
        )
    }

    /// Reads an uploaded archive as it arrives (raw, or the multipart field `file`), so memory holds about one line
    /// whatever the upload's size, into the database (or memory while it is not open); answers with the import
    /// report, or 400 with an error.
    func importArchive(_ request: Request) async throws -> Response {
        let decoder = ArchiveDecoder(maxDecompressedBytes: Archive.defaultDecompressedLimit)
        let limit = config.current.cacheMaxRequestSize
        var report = ImportReport()
        let form = request.headers[.contentType].flatMap(UploadForm.init(contentType:))
        await history?.flush()
        let target = history?.database != nil ? history : nil
        var pending: [RequestRecord] = []
        let accept: (RequestRecord) -> Bool = { record in
            guard target != nil else { return store.importRecord(record) }
            pending.append(record)
            return true
        }
        do {
            for try await chunk in request.body {
                for piece in try form?.fileBytes(in: chunk) ?? [Array(buffer: chunk)] {
                    try decoder.append(piece)
                    try Archive.drain(decoder, into: &report, bodyLimit: limit, accept: accept)
                    try await settle(&pending, into: &report, history: target)
                }
            }
            if let form, !form.sawFile { return JSONResponse.make(["error": "No file provided"], status: .badRequest) }
            try decoder.finish()
            try Archive.drain(decoder, into: &report, bodyLimit: limit, accept: accept)
            try await settle(&pending, into: &report, history: target)
            return JSONResponse.make(report.json)
        } catch let error as ArchiveError {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        } catch is UploadForm.Malformed {
            return JSONResponse.make(["error": "the multipart upload is malformed"], status: .badRequest)
        } catch let error as HistoryError {
            return HistoryBrowser.unavailable(error)
        }
    }

    /// Writes the records read so far into the database; those already there count as duplicates.
    private func settle(_ pending: inout [RequestRecord], into report: inout ImportReport, history: RequestHistory?) async throws {
        guard let history, !pending.isEmpty else { return }
        report.settle(batch: pending.count, inserted: try await history.importRecords(pending))
        pending.removeAll()
    }
}

/// A `multipart/form-data` upload read as it arrives (multipart-kit's parser): the bytes of its `file` field.
final class UploadForm {
    private let parser: MultipartParser
    private var inFile = false
    private var pieces: [[UInt8]] = []
    /// Whether a `file` field was seen.
    private(set) var sawFile = false

    /// A reader for a `multipart/form-data` content type with a boundary; `nil` for any other upload.
    init?(contentType: String) {
        let parameters = contentType.split(separator: ";").map { $0.trimmedWhitespace }
        guard parameters.first?.lowercased() == "multipart/form-data",
            let boundary = parameters.first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst(9), !boundary.isEmpty
        else { return nil }
        parser = MultipartParser(boundary: boundary.trimmingQuotes)
        parser.onHeader = { [unowned self] name, value in
            if name.lowercased() == "content-disposition" {
                self.inFile = value.contains("name=\"file\"")
                self.sawFile = self.sawFile || self.inFile
            }
        }
        parser.onBody = { [unowned self] body in
            if self.inFile { self.pieces.append(Array(buffer: body)) }
        }
        parser.onPartComplete = { [unowned self] in self.inFile = false }
    }

    /// The form breaks multipart's syntax (multipart-kit's parser throws an error type of its own that is private).
    struct Malformed: Error {}

    /// The bytes of the `file` field within `chunk` of the upload; throws `Malformed` when the form is not multipart.
    func fileBytes(in chunk: ByteBuffer) throws(Malformed) -> [[UInt8]] {
        do { try parser.execute(chunk) } catch { throw Malformed() }
        defer { pieces.removeAll() }
        return pieces
    }
}

extension StringProtocol {
    /// Without surrounding double quotes.
    var trimmingQuotes: String {
        var text = String(self)
        if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = String(text.dropFirst().dropLast()) }
        return text
    }
}
