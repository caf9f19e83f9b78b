import GHCCore
import Hummingbird
import NIOCore

/// A request body that was read within the size limit and parsed as a JSON object.
struct JSONRequestBody: Sendable {
    /// The bytes as the client sent them.
    var bytes: [UInt8]
    /// The parsed document.
    var json: JSONValue
    /// Where each top-level member's value lies in `bytes`.
    var memberRanges: [String: Range<Int>]

    /// Reads and checks the body of `request` (which then holds the collected body).
    /// Errors: 413 over the limit, 400 for a non-JSON content type, invalid JSON or a non-object document.
    static func read(_ request: inout Request, limit: Int, dialect: APIDialect) async throws(ProxyError) -> JSONRequestBody {
        // A JSON type is required: a web page can send a body without one (`no-cors`), but not with it.
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if !type.hasPrefix("application/json") {
            let sent = type.isEmpty ? "none was sent" : "not '\(type)'"
            throw ProxyError.invalidRequest("Content-Type must be application/json; \(sent)", code: "invalid_content_type").in(dialect)
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw tooLarge(limit, dialect)
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw tooLarge(limit, dialect)
        } catch {
            throw ProxyError.invalidRequest("could not read the request body: \(error)", code: "invalid_body").in(dialect)
        }
        let bytes = Array(buffer: buffer)
        guard !bytes.isEmpty else {
            throw ProxyError.invalidRequest("the request body is empty; send a JSON object", code: "invalid_json").in(dialect)
        }
        do {
            let (json, ranges) = try JSONParser.parseDocument(bytes)
            guard json.objectValue != nil else {
                throw ProxyError.invalidRequest("the request body must be a JSON object", code: "invalid_json").in(dialect)
            }
            return JSONRequestBody(bytes: bytes, json: json, memberRanges: ranges)
        } catch let error as JSONParseError {
            throw ProxyError.invalidRequest("the request body is not valid JSON: \(error)", code: "invalid_json").in(dialect)
        } catch let error as ProxyError {
            throw error
        } catch {
            throw ProxyError.invalidRequest("the request body is not valid JSON", code: "invalid_json").in(dialect)
        }
    }

    private static func tooLarge(_ limit: Int, _ dialect: APIDialect) -> ProxyError {
        ProxyError(
            .contentTooLarge,
            type: "invalid_request_error",
            code: "request_too_large",
            message: "the request body is larger than \(limit) bytes (max_request_body_size)",
            dialect: dialect
        )
    }

    /// The body with one top-level member's value replaced, every other byte kept as sent.
    func replacing(_ key: String, with value: JSONValue) -> [UInt8] {
        guard let range = memberRanges[key] else {
            var members = json.objectValue ?? [:]
            members[key] = value
            return JSONWriter.bytes(.object(members))
        }
        var output = [UInt8]()
        output.reserveCapacity(bytes.count + 32)
        output.append(contentsOf: bytes[..<range.lowerBound])
        JSONWriter.write(value, to: &output)
        output.append(contentsOf: bytes[range.upperBound...])
        return output
    }

    /// The `model` member, required to be a non-empty string.
    func model(dialect: APIDialect) throws(ProxyError) -> String {
        guard let model = json["model"]?.stringValue, !model.isEmpty else {
            throw ProxyError.invalidRequest("`model` is required and must be a non-empty string", code: "missing_model", param: "model").in(
                dialect
            )
        }
        return model
    }

    /// Whether the client asked for a stream.
    var wantsStream: Bool { json["stream"]?.boolValue == true }
}
