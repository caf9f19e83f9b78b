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
    package init(line object: JSONValue, limit: Int, now: Date = Date()) throws(ArchiveError) {
        guard let fields = object.objectValue else { throw .badLine("a line must be a JSON object") }
        let known: Set<String> = [
            "id", "timestamp", "client_ip", "request_headers", "original_request_body", "request_body", "response_body", "raw_events",
            "model",
            "translated_model", "endpoint", "status_code", "request_size", "response_size", "input_tokens", "output_tokens",
            "cache_creation_input_tokens", "cache_read_input_tokens", "duration", "time_to_first_byte", "state", "user_id", "stream",
            "error", "key_name",
        ]
        let headers = (fields["request_headers"]?.objectValue ?? [:]).map { ($0.key, $0.value.stringValue ?? $0.value.jsonString()) }.sorted
        { $0.0 < $1.0 }
        guard let timestamp = Self.timestamp(fields["timestamp"], now: now) else {
            throw .badLine("`timestamp` must be a time between 1970 and 2200, not \(fields["timestamp"]?.jsonString() ?? "null")")
        }
        let numbers = try LineNumbers(fields)
        self.init(
            id: fields["id"]?.stringValue ?? UUID().uuidString.lowercased(),
            timestamp: timestamp,
            clientIP: fields["client_ip"]?.stringValue ?? "unknown",
            requestHeaders: RequestRecord.redacted(headers),
            model: fields["model"]?.stringValue ?? "unknown",
            endpoint: fields["endpoint"]?.stringValue ?? "unknown"
        )
        func body(_ name: String) throws(ArchiveError) -> StoredBody? {
            guard let value = fields[name], value != .null else { return nil }
            guard value["_truncated"]?.boolValue == true else { return StoredBody(JSONWriter.bytes(value), limit: limit) }
            let size = value["_size"] ?? .int(0)
            guard let bytes = size.intValue, LineNumbers.sizes.contains(bytes) else {
                throw .badLine("`\(name)._size` must be a byte count from 0 to \(LineNumbers.sizes.upperBound), not \(size.jsonString())")
            }
            return StoredBody.truncated(size: bytes)
        }
        originalRequestBody = try body("original_request_body")
        requestBody = try body("request_body")
        // A record of the original keeps both: `raw_events` for the stream and `response_body` for the answer it built.
        if let answer = try body("response_body") {
            responseBody = answer
            stream = fields["raw_events"]?.arrayValue != nil
        } else if let events = fields["raw_events"]?.arrayValue {
            stream = true
            let text = events.map { "data: \($0.stringValue ?? $0.jsonString())\n\n" }.joined()
            responseBody = StoredBody(Array(text.utf8), limit: limit)
        }
        translatedModel = fields["translated_model"]?.stringValue
        statusCode = numbers.statusCode
        requestSize = numbers.requestSize
        responseSize = numbers.responseSize
        usage = numbers.usage
        duration = numbers.duration
        timeToFirstByte = numbers.timeToFirstByte
        state = fields["state"]?.stringValue.flatMap(RequestState.init(rawValue:)) ?? .completed
        userID = fields["user_id"]?.stringValue ?? "anonymous"
        error = fields["error"]?.stringValue
        keyName = fields["key_name"]?.stringValue
        extra = fields.filter { !known.contains($0.key) }
    }

    /// The times a record may carry, in Unix seconds: 1970 to 2200.
    static let timestamps: ClosedRange<Double> = 0...7_258_118_400

    /// Unix seconds from a number, a numeric string or an ISO-8601 string; now when absent or not a time at all;
    /// `nil` for a number that is not a usable time (NaN, infinite, negative, past 2200).
    static func timestamp(_ value: JSONValue?, now: Date) -> Double? {
        let seconds: Double
        switch value {
        case .int(let whole)?: seconds = Double(whole)
        case .double(let number)?: seconds = number
        case .string(let text)?:
            if let number = Double(text) {
                seconds = number
            } else if let date = try? Date(text, strategy: .iso8601) {
                seconds = date.timeIntervalSince1970
            } else {
                seconds = now.timeIntervalSince1970
            }
        default:
            seconds = now.timeIntervalSince1970
        }
        guard seconds.isFinite, timestamps.contains(seconds) else { return nil }
        return seconds.rounded(.down)
    }
}

/// The numeric fields of a line, each checked against the range a real record can have, so that a damaged or
/// hostile line is reported and skipped instead of trapping or allocating without bound.
struct LineNumbers {
    /// Byte counts a record may name (1 TiB at most).
    static let sizes: ClosedRange<Int> = 0...(1 << 40)
    /// Token counts a record may name.
    static let tokens: ClosedRange<Int> = 0...(1 << 40)
    /// Seconds a duration may last (a year at most).
    static let seconds: ClosedRange<Double> = 0...31_536_000

    let statusCode: Int
    let requestSize: Int
    let responseSize: Int
    let usage: TokenUsage
    let duration: Double
    let timeToFirstByte: Double?

    /// Reads and checks the numbers of `fields`; absent ones take their defaults.
    init(_ fields: [String: JSONValue]) throws(ArchiveError) {
        func whole(_ name: String, _ range: ClosedRange<Int>, default fallback: Int) throws(ArchiveError) -> Int {
            guard let value = fields[name], value != .null else { return fallback }
            guard let number = value.intValue, range.contains(number) else {
                throw .badLine(
                    "`\(name)` must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(value.jsonString())"
                )
            }
            return number
        }
        func time(_ name: String) throws(ArchiveError) -> Double? {
            guard let value = fields[name], value != .null else { return nil }
            guard let number = value.doubleValue, number.isFinite, Self.seconds.contains(number) else {
                throw .badLine("`\(name)` must be seconds from 0 to \(Int(Self.seconds.upperBound)), not \(value.jsonString())")
            }
            return number
        }
        statusCode = try whole("status_code", 0...999, default: 200)
        requestSize = try whole("request_size", Self.sizes, default: 0)
        responseSize = try whole("response_size", Self.sizes, default: 0)
        usage = TokenUsage(
            input: try whole("input_tokens", Self.tokens, default: 0),
            output: try whole("output_tokens", Self.tokens, default: 0),
            cacheRead: try whole("cache_read_input_tokens", Self.tokens, default: 0),
            cacheCreation: try whole("cache_creation_input_tokens", Self.tokens, default: 0)
        )
        duration = try time("duration") ?? 0
        timeToFirstByte = try time("time_to_first_byte")
    }
}

/// Problems with archives and lines.
package enum ArchiveError: Error, Equatable, CustomStringConvertible {
    /// A line is not a usable record.
    case badLine(String)
    /// The archive cannot be opened, read or written.
    case file(String, String)
    /// The archive inflates past the size limit (a decompression bomb).
    case tooLarge(Int)
    /// The compressed data is damaged or cut short.
    case corrupt(String)
    /// A line is longer than the reader's limit; it was skipped.
    case lineTooLong(line: Int, limit: Int)

    /// One line for the user.
    package var description: String {
        switch self {
        case .badLine(let reason): reason
        case .file(let path, let reason): "\(path): \(reason)"
        case .tooLarge(let limit): "the archive decompresses to more than \(limit) bytes; refused"
        case .corrupt(let reason): "the archive is damaged: \(reason)"
        case .lineTooLong(_, let limit): "the line is longer than \(limit) bytes (--max-line-size); skipped"
        }
    }
}
