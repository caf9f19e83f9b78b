import GHCCore

extension RequestRecord {
    /// The list-item form (no bodies or headers), as `/api/requests` and the live events send it.
    package var summary: JSONValue {
        .object(Dictionary(uniqueKeysWithValues: summaryPairs))
    }

    /// The summary's members; `key_name` only when a client key was used, so records without one keep 1.0.31's shape.
    private var summaryPairs: [(String, JSONValue)] {
        let pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("timestamp", .int(Int(timestamp))), ("client_ip", .string(clientIP)),
            ("model", .string(model)), ("translated_model", translatedModel.map(JSONValue.string) ?? .null),
            ("endpoint", .string(endpoint)),
            ("status_code", statusCode.map(JSONValue.int) ?? .null), ("request_size", .int(requestSize)),
            ("response_size", .int(responseSize)),
            ("input_tokens", .int(usage.input)), ("output_tokens", .int(usage.output)),
            ("cache_creation_input_tokens", .int(usage.cacheCreation)), ("cache_read_input_tokens", .int(usage.cacheRead)),
            ("duration", .double((duration * 1000).rounded() / 1000)),
            ("time_to_first_byte", timeToFirstByte.map { .double(($0 * 1000).rounded() / 1000) } ?? .null),
            ("state", .string(state.rawValue)), ("user_id", .string(userID)), ("stream", .bool(stream)),
            ("error", error.map(JSONValue.string) ?? .null),
        ]
        return pairs + (keyName.map { [("key_name", .string($0))] } ?? [])
    }

    /// A stored body as a JSON value: the parsed document, its text when not JSON, or the truncation marker.
    static func json(of body: StoredBody?, kind: String, limit: Int) -> JSONValue {
        guard let body else { return .null }
        guard let bytes = body.contents else {
            return [
                "_truncated": true, "_size": .int(body.originalSize),
                "_reason": .string("\(kind) body exceeded cache_max_request_size (\(limit) bytes)"),
            ]
        }
        if bytes.isEmpty { return .null }
        return (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
    }

    /// The `data:` payloads of a stored event stream, `[DONE]` left out.
    var rawEvents: [String]? {
        guard stream, let body = responseBody, let bytes = body.contents else { return nil }
        var parser = ServerSentEventParser(maximumEventSize: max(bytes.count + 1, 1024))
        let events = (try? parser.feed(bytes)) ?? []
        return events.filter { $0.hasData && $0.data != "[DONE]" }.map(\.data)
    }

    /// The full record in ghc-api 1.0.31's key order (export lines, daily files, `/api/request/<id>`).
    package func fullPairs(limit: Int) -> [(String, JSONValue)] {
        let headers = JSONValue.object(
            Dictionary(requestHeaders.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })
        )
        var responseBodyValue: JSONValue = .null
        var events: JSONValue = .null
        if stream {
            if let raw = rawEvents {
                events = .array(raw.map(JSONValue.string))
            } else if responseBody != nil {
                events = [.string(Self.json(of: responseBody, kind: "response", limit: limit).jsonString())]
            }
        } else {
            responseBodyValue = Self.json(of: responseBody, kind: "response", limit: limit)
        }
        var pairs: [(String, JSONValue)] = [
            ("id", .string(id)), ("timestamp", .int(Int(timestamp))), ("client_ip", .string(clientIP)), ("request_headers", headers),
            ("original_request_body", Self.json(of: originalRequestBody, kind: "request", limit: limit)),
            ("request_body", Self.json(of: requestBody, kind: "request", limit: limit)),
            ("response_body", responseBodyValue), ("raw_events", events),
        ]
        let summary = summaryPairs.filter { !["id", "timestamp", "client_ip"].contains($0.0) }
        pairs += summary
        pairs += extra.keys.sorted().compactMap { key in extra[key].map { (key, $0) } }
        return pairs
    }

    /// One JSON line with keys in order, non-ASCII kept as UTF-8.
    package func line(limit: Int) -> [UInt8] {
        var output: [UInt8] = [UInt8(ascii: "{")]
        for (offset, pair) in fullPairs(limit: limit).enumerated() {
            if offset > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.writeString(pair.0, to: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.write(pair.1, to: &output)
        }
        output.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
        return output
    }
}
