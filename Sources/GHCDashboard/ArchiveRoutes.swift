import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /api/requests/export` (JSONL, oldest first) and `POST /api/requests/import` (JSONL or gzip, raw or as
/// the multipart field `file`).
struct ArchiveRoutes: Sendable {
    /// The request store the records come from and go into.
    let store: RequestStore
    /// The live configuration, for the size limits.
    let config: LiveConfig

    /// Streams every stored record as a JSONL download, oldest first.
    func export() -> Response {
        let records = store.all()
        let limit = config.current.cacheMaxRequestSize
        let name = "requests_\(Timestamp.compact(Date()).replacingAll("-", with: "_")).jl"
        let headers: HTTPFields = [.contentType: "application/x-jsonlines", .contentDisposition: "attachment; filename=\(name)"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var buffer = ByteBuffer()
                for record in records {
                    buffer.writeBytes(record.line(limit: limit))
                    if buffer.readableBytes > 256 << 10 {
                        try await writer.write(buffer)
                        buffer.clear()
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
                try await writer.finish(nil)
            })
    }

    /// Reads an uploaded archive into the store and answers with the import report, or 400/413 with an error.
    func importArchive(_ request: Request) async throws -> Response {
        var request = request
        let limit = config.current.maxRequestBodySize * 8
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            return JSONResponse.make(["error": .string("the upload is larger than \(limit) bytes")], status: .contentTooLarge)
        }
        var bytes = Array(buffer: buffer)
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data") {
            guard let file = MultipartFile.field("file", in: bytes, contentType: type) else {
                return JSONResponse.make(["error": "No file provided"], status: .badRequest)
            }
            bytes = file
        }
        do {
            let reader = ArchiveReader(bytes: bytes, maxDecompressedBytes: Archive.defaultDecompressedLimit)
            let report = try Archive.read(from: reader, bodyLimit: config.current.cacheMaxRequestSize) { store.importRecord($0) }
            return JSONResponse.make(report.json)
        } catch let error as ArchiveError {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        }
    }
}

/// Finds one field of a `multipart/form-data` body.
enum MultipartFile {
    /// The content of the part named `name`, or `nil` when there is no boundary or no such part.
    static func field(_ name: String, in body: [UInt8], contentType: String) -> [UInt8]? {
        guard let boundaryValue = contentType.split(separator: ";").map({ $0.trimmedWhitespace }).first(where: { $0.hasPrefix("boundary=") })?.dropFirst(9) else { return nil }
        let boundary = Array(("--" + boundaryValue.trimmingQuotes).utf8)
        var parts: [[UInt8]] = []
        var start: Int?
        var index = 0
        while index + boundary.count <= body.count {
            if body[index] == boundary[0], Array(body[index..<index + boundary.count]) == boundary {
                if let begin = start { parts.append(Array(body[begin..<max(begin, index - 2)])) }
                index += boundary.count
                start = index + 2
                continue
            }
            index += 1
        }
        for part in parts {
            guard let headerEnd = part.indices.dropLast(3).first(where: { part[$0] == 13 && part[$0 + 1] == 10 && part[$0 + 2] == 13 && part[$0 + 3] == 10 }) else { continue }
            let headers = String(decoding: part[..<headerEnd], as: UTF8.self).lowercased()
            if headers.contains("name=\"\(name)\"") { return Array(part[(headerEnd + 4)...]) }
        }
        return nil
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
