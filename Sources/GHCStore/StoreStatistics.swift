import GHCCore

/// Cumulative counters of finished requests (eviction never lowers them), plus recent latencies.
struct StoreStatistics: Sendable {
    /// The counters of one model or one endpoint: requests, tokens by kind, and bytes each way.
    struct ModelCounters: Sendable {
        /// Requests, input, output, cache-write and cache-read tokens, and bytes sent and received.
        var requests = 0, input = 0, output = 0, cacheCreation = 0, cacheRead = 0, sent = 0, received = 0
    }

    /// Finished requests counted.
    var requests = 0
    /// Requests that failed or were cancelled.
    var errors = 0
    /// Request bytes sent, summed.
    var bytesSent = 0
    /// Response bytes received, summed.
    var bytesReceived = 0
    /// Token usage, summed.
    var tokens = TokenUsage()
    /// Counters by model (the Copilot name when the model was mapped).
    var models: [String: ModelCounters] = [:]
    /// Counters by endpoint path (requests and bytes only).
    var endpoints: [String: ModelCounters] = [:]
    /// The durations of the latest requests in seconds, at most `latencyWindow` of them.
    var durations: [Double] = []
    /// The times to first byte of the latest requests in seconds, at most `latencyWindow` of them.
    var firstBytes: [Double] = []
    /// Requests and errors by minute (its start, in seconds since 1970); at most 120 minutes are kept.
    var minutes: [Int: (requests: Int, errors: Int)] = [:]
    /// How many recent latencies are kept for the percentiles.
    static let latencyWindow = 1000

    /// Adds a finished request to every counter.
    mutating func count(_ record: RequestRecord) {
        requests += 1
        let failed = record.state == .error || record.state == .cancelled
        if failed { errors += 1 }
        bytesSent += record.requestSize
        bytesReceived += record.responseSize
        tokens.input += record.usage.input
        tokens.output += record.usage.output
        tokens.cacheRead += record.usage.cacheRead
        tokens.cacheCreation += record.usage.cacheCreation
        var model = models[record.translatedModel ?? record.model] ?? ModelCounters()
        model.requests += 1
        model.input += record.usage.input
        model.output += record.usage.output
        model.cacheCreation += record.usage.cacheCreation
        model.cacheRead += record.usage.cacheRead
        model.sent += record.requestSize
        model.received += record.responseSize
        models[record.translatedModel ?? record.model] = model
        var endpoint = endpoints[record.endpoint] ?? ModelCounters()
        endpoint.requests += 1
        endpoint.sent += record.requestSize
        endpoint.received += record.responseSize
        endpoints[record.endpoint] = endpoint
        append(record.duration, to: &durations)
        if let ttfb = record.timeToFirstByte { append(ttfb, to: &firstBytes) }
        let minute = Int(record.timestamp) / 60 * 60
        var bucket = minutes[minute] ?? (0, 0)
        bucket.requests += 1
        if failed { bucket.errors += 1 }
        minutes[minute] = bucket
        if minutes.count > 120, let oldest = minutes.keys.min() { minutes[oldest] = nil }
    }

    private func append(_ value: Double, to window: inout [Double]) {
        if window.count >= Self.latencyWindow { window.removeFirst() }
        window.append(value)
    }

    private static func percentile(_ values: [Double], _ p: Double) -> JSONValue {
        guard !values.isEmpty else { return .null }
        let sorted = values.sorted()
        let value = sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        return .double((value * 1000 * 10).rounded() / 10)
    }

    /// The `/api/stats` document.
    func json(cached: Int, inFlight: Int, now: Double) -> JSONValue {
        let modelStats = models.mapValues { counters -> JSONValue in
            [
                "request_count": .int(counters.requests), "input_tokens": .int(counters.input), "output_tokens": .int(counters.output),
                "cache_creation_input_tokens": .int(counters.cacheCreation), "cache_read_input_tokens": .int(counters.cacheRead),
                "bytes_sent": .int(counters.sent), "bytes_received": .int(counters.received),
            ]
        }
        let endpointStats = endpoints.mapValues { counters -> JSONValue in
            ["request_count": .int(counters.requests), "bytes_sent": .int(counters.sent), "bytes_received": .int(counters.received)]
        }
        let currentMinute = Int(now) / 60 * 60
        let perMinute = (0..<30).reversed().map { back -> JSONValue in
            let minute = currentMinute - back * 60
            let bucket = minutes[minute] ?? (0, 0)
            return ["minute": .int(minute), "requests": .int(bucket.requests), "errors": .int(bucket.errors)]
        }
        return [
            "user_id": .null, "total_requests": .int(requests), "cached_requests": .int(cached), "in_flight": .int(inFlight),
            "errors": .int(errors),
            "bytes_sent": .int(bytesSent), "bytes_received": .int(bytesReceived),
            "tokens": [
                "input": .int(tokens.input), "output": .int(tokens.output), "cache_read": .int(tokens.cacheRead),
                "cache_creation": .int(tokens.cacheCreation),
            ],
            "latency_ms": [
                "p50": Self.percentile(durations, 0.5), "p90": Self.percentile(durations, 0.9), "p99": Self.percentile(durations, 0.99),
            ],
            "ttfb_ms": ["p50": Self.percentile(firstBytes, 0.5), "p99": Self.percentile(firstBytes, 0.99)],
            "model_stats": .object(modelStats), "endpoint_stats": .object(endpointStats), "per_minute": .array(perMinute), "counters": [:],
        ]
    }
}
