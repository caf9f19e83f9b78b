import CoreMetrics
import GHCProxy
import GHCStore
import Prometheus
import Synchronization

/// The server's Prometheus metrics, made through swift-metrics with a factory of the server's own (no global
/// bootstrap, so servers in one process, as in the tests, keep separate counts).
///
/// Counters and histograms change as requests finish; the gauges (in flight, store, writers) are read when
/// `/metrics` is scraped.
package final class ServerMetrics: Sendable {
    /// Where every metric is kept and rendered from.
    let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory backed by `registry`.
    let factory: PrometheusMetricsFactory
    /// The last value seen of each running total read at scrape time, so its counter grows by the difference.
    private let totalsSeen = Mutex<[String: Int]>([:])
    /// The model names used as label values so far.
    private let modelsSeen = Mutex<Set<String>>([])
    /// How many model names get series of their own; clients name models freely, and each name is a series.
    static let maximumModels = 200

    /// Upper bounds of the latency histograms: 5 ms to 10 minutes (a long agent turn streams for minutes).
    static let latencyBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
        .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(120),
        .seconds(300), .seconds(600),
    ]

    /// Empty metrics.
    package init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets
        self.factory = factory
    }

    /// Counts a finished request: by route, model, status and dialect; its latency and time to first byte; its tokens.
    package func count(_ record: RequestRecord) {
        let model = label(forModel: record.translatedModel ?? record.model)
        let status = record.statusCode.map(String.init) ?? (record.state == .cancelled ? "cancelled" : "none")
        let dimensions = [
            ("route", record.endpoint), ("model", model), ("status", status), ("dialect", APIDialect.of(path: record.endpoint).name),
        ]
        Counter(label: "ghc_api_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "ghc_api_upstream_duration_seconds", dimensions: [("model", model)], factory: factory).recordSeconds(record.duration)
        if let firstByte = record.timeToFirstByte {
            Timer(label: "ghc_api_upstream_first_byte_seconds", dimensions: [("model", model)], factory: factory).recordSeconds(firstByte)
        }
        let usage = record.usage
        for (kind, tokens) in [("input", usage.input), ("output", usage.output), ("cache_read", usage.cacheRead)]
            + [("cache_creation", usage.cacheCreation)] where tokens > 0
        {
            Counter(label: "ghc_api_tokens_total", dimensions: [("model", model), ("kind", kind)], factory: factory).increment(by: tokens)
        }
    }

    /// `model`, or `other` once `maximumModels` names have series (so made-up names cannot grow the scrape forever).
    func label(forModel model: String) -> String {
        modelsSeen.withLock { seen in
            if seen.contains(model) { return model }
            guard seen.count < Self.maximumModels else { return "other" }
            seen.insert(model)
            return model
        }
    }

    /// Counts one exchange of the GitHub token for a Copilot token.
    package func countTokenRefresh(succeeded: Bool) {
        let result = succeeded ? "success" : "failure"
        Counter(label: "ghc_api_copilot_token_refreshes_total", dimensions: [("result", result)], factory: factory).increment()
    }

    /// The metrics in Prometheus' text format, after setting `gauges` and bringing the counters of `totals` (running
    /// totals kept elsewhere, such as lines dropped) up to their values.
    package func render(gauges: [(name: String, value: Int)], totals: [(name: String, value: Int)]) -> [UInt8] {
        for gauge in gauges {
            Gauge(label: gauge.name, factory: factory).record(gauge.value)
        }
        let increases = totalsSeen.withLock { seen in
            totals.map { total in
                defer { seen[total.name] = total.value }
                return (total.name, max(0, total.value - (seen[total.name] ?? 0)))
            }
        }
        for (name, increase) in increases {
            Counter(label: name, factory: factory).increment(by: increase)
        }
        return registry.emitToBuffer()
    }
}
