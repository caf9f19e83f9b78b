import GHCCore

/// Counts of one model (or any group): requests, tokens by kind and bytes each way.
package struct UsageTotals: Sendable, Equatable {
    /// Requests.
    package var requests = 0
    /// Input tokens not read from a cache.
    package var input = 0
    /// Input tokens written to a cache.
    package var cacheCreation = 0
    /// Input tokens read from a cache.
    package var cacheRead = 0
    /// Output tokens.
    package var output = 0
    /// Bytes sent upstream.
    package var sent = 0
    /// Bytes received.
    package var received = 0

    /// Empty totals.
    package init() {}

    /// The largest counter read from a line.
    static let maxCounter = 1 << 40

    /// Input, cache writes, cache reads and output: recomputed, never read from a line (old lines stored input + output).
    package var tokens: Int { input + cacheCreation + cacheRead + output }
    /// Bytes both ways.
    package var data: Int { sent + received }
    /// Whether nothing was counted.
    package var isZero: Bool { requests == 0 && tokens == 0 && data == 0 }

    /// Adds other totals.
    package static func += (lhs: inout UsageTotals, rhs: UsageTotals) {
        lhs.requests += rhs.requests
        lhs.input += rhs.input
        lhs.cacheCreation += rhs.cacheCreation
        lhs.cacheRead += rhs.cacheRead
        lhs.output += rhs.output
        lhs.sent += rhs.sent
        lhs.received += rhs.received
    }

    /// What grew since `earlier` (never negative).
    package func since(_ earlier: UsageTotals) -> UsageTotals {
        var delta = UsageTotals()
        delta.requests = max(0, requests - earlier.requests)
        delta.input = max(0, input - earlier.input)
        delta.cacheCreation = max(0, cacheCreation - earlier.cacheCreation)
        delta.cacheRead = max(0, cacheRead - earlier.cacheRead)
        delta.output = max(0, output - earlier.output)
        delta.sent = max(0, sent - earlier.sent)
        delta.received = max(0, received - earlier.received)
        return delta
    }

    /// The counters under the original's key names, in its order.
    package var pairs: [(String, JSONValue)] {
        [
            ("request_count", .int(requests)), ("input_tokens", .int(input)), ("cache_creation_input_tokens", .int(cacheCreation)),
            ("cache_read_input_tokens", .int(cacheRead)), ("output_tokens", .int(output)), ("total_tokens", .int(tokens)),
            ("data_sent", .int(sent)), ("data_received", .int(received)), ("total_data", .int(data)),
        ]
    }

    /// Reads a line's model entry with the reader's rules: `bytes_*` for `data_*`, missing fields 0, `total_tokens` ignored.
    package init(entry: JSONValue) {
        // A counter is at most 2^40 (a trillion): sums of them cannot overflow, whatever a shared file holds.
        func number(_ keys: String...) -> Int {
            for key in keys {
                if let value = entry[key]?.intValue { return min(Self.maxCounter, max(0, value)) }
                if let value = entry[key]?.doubleValue, value.isFinite, value >= 0 { return Int(min(Double(Self.maxCounter), value)) }
            }
            return 0
        }
        requests = number("request_count")
        input = number("input_tokens")
        cacheCreation = number("cache_creation_input_tokens")
        cacheRead = number("cache_read_input_tokens")
        output = number("output_tokens")
        sent = number("data_sent", "bytes_sent")
        received = number("data_received", "bytes_received")
    }
}
