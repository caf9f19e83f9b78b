import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RequestRecord {
    /// Reads one export or daily-file line (this version's or ghc-api 1.0.31's).
    /// - Parameters:
    ///   - limit: `cache_max_request_size` for the kept bodies.
    public init(line object: JSONValue, limit: Int, now: Date = Date()) throws(ArchiveError) {
        guard let fields = object.objectValue else { throw .badLine("a line must be a JSON object") }
        let known: Set<String> = [
            "id", "timestamp", "client_ip", "request_headers", "original_request_body", "request_body", "response_body", "raw_events", "model",
            "translated_model", "endpoint", "status_code", "request_size", "response_size", "input_tokens", "output_tokens",
            "cache_creation_input_tokens", "cache_read_input_tokens", "duration", "time_to_first_byte", "state", "user_id", "stream", "error",
        ]
        let headers = (fields["request_headers"]?.objectValue ?? [:]).map { ($0.key, $0.value.stringValue ?? $0.value.jsonString()) }.sorted { $0.0 < $1.0 }
        self.init(
            id: fields["id"]?.stringValue ?? UUID().uuidString.lowercased(), timestamp: Self.timestamp(fields["timestamp"], now: now),
            clientIP: fields["client_ip"]?.stringValue ?? "unknown", requestHeaders: RequestRecord.redacted(headers),
            model: fields["model"]?.stringValue ?? "unknown", endpoint: fields["endpoint"]?.stringValue ?? "unknown")
        func body(_ value: JSONValue?) -> StoredBody? {
            guard let value, value != .null else { return nil }
            if value["_truncated"]?.boolValue == true { return StoredBody(Array(repeating: 0, count: (value["_size"]?.intValue ?? 0)), limit: 1) }
            return StoredBody(JSONWriter.bytes(value), limit: limit)
        }
        originalRequestBody = body(fields["original_request_body"])
        requestBody = body(fields["request_body"])
        if let events = fields["raw_events"]?.arrayValue {
            stream = true
            let text = events.map { "data: \($0.stringValue ?? $0.jsonString())\n\n" }.joined()
            responseBody = StoredBody(Array(text.utf8), limit: limit)
        } else {
            responseBody = body(fields["response_body"])
        }
        translatedModel = fields["translated_model"]?.stringValue
        statusCode = fields["status_code"]?.intValue ?? 200
        requestSize = fields["request_size"]?.intValue ?? 0
        responseSize = fields["response_size"]?.intValue ?? 0
        usage = TokenUsage(
            input: fields["input_tokens"]?.intValue ?? 0, output: fields["output_tokens"]?.intValue ?? 0,
            cacheRead: fields["cache_read_input_tokens"]?.intValue ?? 0, cacheCreation: fields["cache_creation_input_tokens"]?.intValue ?? 0)
        duration = fields["duration"]?.doubleValue ?? 0
        timeToFirstByte = fields["time_to_first_byte"]?.doubleValue
        state = fields["state"]?.stringValue.flatMap(RequestState.init(rawValue:)) ?? .completed
        userID = fields["user_id"]?.stringValue ?? "anonymous"
        error = fields["error"]?.stringValue
        extra = fields.filter { !known.contains($0.key) }
    }

    /// Unix seconds from a number, a numeric string or an ISO-8601 string; otherwise now.
    static func timestamp(_ value: JSONValue?, now: Date) -> Double {
        switch value {
        case .int(let seconds)?: return Double(seconds)
        case .double(let seconds)?: return seconds.rounded(.down)
        case .string(let text)?:
            if let seconds = Double(text) { return seconds.rounded(.down) }
            if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970.rounded(.down) }
            return now.timeIntervalSince1970.rounded(.down)
        default:
            return now.timeIntervalSince1970.rounded(.down)
        }
    }
}

/// Problems with archives and lines.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// A line is not a usable record.
    case badLine(String)
    /// The archive cannot be opened, read or written.
    case file(String, String)
    /// The archive inflates past the size limit (a decompression bomb).
    case tooLarge(Int)
    /// The compressed data is damaged or cut short.
    case corrupt(String)

    /// One line for the user.
    public var description: String {
        switch self {
        case .badLine(let reason): reason
        case .file(let path, let reason): "\(path): \(reason)"
        case .tooLarge(let limit): "the archive decompresses to more than \(limit) bytes; refused"
        case .corrupt(let reason): "the archive is damaged: \(reason)"
        }
    }
}
