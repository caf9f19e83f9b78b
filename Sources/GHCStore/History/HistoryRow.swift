import GHCCore
import SQLiteNIO

/// How a record maps to a row of `requests` and back.
enum HistoryRow {
    /// The columns an insert fills, in bind order.
    static let insertColumns = [
        "id", "timestamp", "model", "translated_model", "endpoint", "status_code", "state", "stream", "duration",
        "time_to_first_byte", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "request_size",
        "response_size", "client_ip", "client", "key_name", "user_id", "error", "headers", "extra", "original_request_body",
        "request_body", "response_body", "stored_bytes", "body_base",
    ]

    /// The columns of a list item (no bodies).
    static let summaryColumns =
        "seq, id, timestamp, model, translated_model, endpoint, status_code, state, stream, duration, time_to_first_byte, "
        + "input_tokens, output_tokens, cache_read_tokens, cache_creation_tokens, request_size, response_size, client_ip, "
        + "key_name, user_id, error"

    /// Every column, and the client body of the record the client body is a delta of (`BodyBases`).
    static let allColumns =
        summaryColumns + ", headers, extra, original_request_body, request_body, response_body, "
        + "(SELECT base.original_request_body FROM requests AS base WHERE base.id = requests.body_base) AS base_body"

    /// `INSERT OR IGNORE` of `rows` records, returning the `id` and `seq` of each one inserted: a record whose id is
    /// already stored is skipped.
    static func insertStatement(rows: Int) -> String {
        "INSERT OR IGNORE INTO requests (\(insertColumns.joined(separator: ", "))) VALUES "
            + placeholders(rows: rows, columns: insertColumns.count) + " RETURNING id, seq"
    }

    /// `(?, ?), (?, ?)` for two rows of two columns.
    static func placeholders(rows: Int, columns: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// The values of `insertColumns` for a record whose client body goes in as `original`.
    static func binds(_ record: borrowing RequestRecord, original: BodyBases.Column?) -> [SQLiteData] {
        let sent = record.requestBody?.columnBytes(against: record.originalRequestBody)
        let response = record.responseBody.map(\.columnBytes)
        let stored = (original?.bytes.count ?? 0) + (sent?.count ?? 0) + (response?.count ?? 0)
        let client = record.requestHeaders.first { $0.0.lowercased() == "user-agent" }?.1
        let headers = JSONValue.array(record.requestHeaders.map { [.string($0.0), .string($0.1)] }).jsonString()
        return [
            .text(record.id), .float(record.timestamp), .text(record.model), text(record.translatedModel), .text(record.endpoint),
            integer(record.statusCode), .text(record.state.rawValue), .integer(record.stream ? 1 : 0), .float(record.duration),
            record.timeToFirstByte.map(SQLiteData.float) ?? .null, .integer(record.usage.input), .integer(record.usage.output),
            .integer(record.usage.cacheRead), .integer(record.usage.cacheCreation), .integer(record.requestSize),
            .integer(record.responseSize), .text(record.clientIP), text(client), text(record.keyName), .text(record.userID),
            text(record.error),
            .text(headers), record.extra.isEmpty ? .null : .text(JSONValue.object(record.extra).jsonString()), blob(original?.bytes),
            blob(sent), blob(response), .integer(stored), text(original?.base),
        ]
    }

    /// A record from a row of `summaryColumns` (no bodies) or `allColumns`.
    static func record(_ row: SQLiteRow) -> RequestRecord {
        var record = RequestRecord(
            id: row.column("id")?.string ?? "",
            timestamp: row.column("timestamp")?.double ?? 0,
            clientIP: row.column("client_ip")?.string ?? "",
            requestHeaders: headers(row.column("headers")?.string),
            model: row.column("model")?.string ?? "",
            endpoint: row.column("endpoint")?.string ?? ""
        )
        record.translatedModel = row.column("translated_model")?.string
        record.statusCode = row.column("status_code")?.integer
        record.state = row.column("state")?.string.flatMap(RequestState.init(rawValue:)) ?? .completed
        record.stream = row.column("stream")?.integer == 1
        record.duration = row.column("duration")?.double ?? 0
        record.timeToFirstByte = row.column("time_to_first_byte")?.double
        record.usage = TokenUsage(
            input: row.column("input_tokens")?.integer ?? 0,
            output: row.column("output_tokens")?.integer ?? 0,
            cacheRead: row.column("cache_read_tokens")?.integer ?? 0,
            cacheCreation: row.column("cache_creation_tokens")?.integer ?? 0
        )
        record.requestSize = row.column("request_size")?.integer ?? 0
        record.responseSize = row.column("response_size")?.integer ?? 0
        record.userID = row.column("user_id")?.string ?? "anonymous"
        record.error = row.column("error")?.string
        record.keyName = row.column("key_name")?.string
        if let extra = row.column("extra")?.string, let object = try? JSONValue.parse(Array(extra.utf8)).objectValue {
            record.extra = object
        }
        record.originalRequestBody = body(row.column("original_request_body"), original: body(row.column("base_body"), original: nil))
        record.requestBody = body(row.column("request_body"), original: record.originalRequestBody)
        record.responseBody = body(row.column("response_body"), original: nil)
        return record
    }

    /// The row's `seq`, its position in the table.
    static func sequence(_ row: SQLiteRow) -> Int {
        row.column("seq")?.integer ?? 0
    }

    private static func body(_ data: SQLiteData?, original: StoredBody?) -> StoredBody? {
        guard case .blob(let buffer)? = data else { return nil }
        return StoredBody(column: Array(buffer: buffer), original: original)
    }

    private static func headers(_ text: String?) -> [(String, String)] {
        guard let text, let pairs = try? JSONValue.parse(Array(text.utf8)).arrayValue else { return [] }
        return pairs.compactMap { pair in
            guard let parts = pair.arrayValue, parts.count == 2, let name = parts[0].stringValue, let value = parts[1].stringValue
            else { return nil }
            return (name, value)
        }
    }

    private static func text(_ value: String?) -> SQLiteData { value.map(SQLiteData.text) ?? .null }
    private static func integer(_ value: Int?) -> SQLiteData { value.map(SQLiteData.integer) ?? .null }
    private static func blob(_ bytes: [UInt8]?) -> SQLiteData { bytes.map { .blob(ByteBuffer(bytes: $0)) } ?? .null }
}
