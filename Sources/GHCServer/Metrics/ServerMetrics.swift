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
    /// The model names used as label values so far, and the handles of the series counted per request: made on a
    /// request's first sight of its labels, then reused (making one looks it up in the registry under its lock).
    private let series = Mutex(SeriesCache())
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
        let status = record.statusCode.map(String.init) ?? (record.state == .cancelled ? "cancelled" : "none")
        let usage = record.usage
        series.withLock { cache in
            let model = cache.label(forModel: record.translatedModel ?? record.model)
            cache.requests(route: record.endpoint, model: model, status: status, factory: factory).increment()
            let latency = cache.latency(of: model, factory: factory)
            latency.duration.recordSeconds(record.duration)
            if let firstByte = record.timeToFirstByte { latency.firstByte.recordSeconds(firstByte) }
            let kinds = [
                ("input", usage.input), ("output", usage.output), ("cache_read", usage.cacheRead), ("cache_creation", usage.cacheCreation),
            ]
            for (kind, tokens) in kinds where tokens > 0 {
                cache.tokens(of: model, kind: kind, factory: factory).increment(by: tokens)
            }
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

/// The series a request is counted in, by their labels; bounded by `ServerMetrics.maximumModels` names.
private struct SeriesCache {
    /// One model's latency histograms.
    struct Latency {
        let duration: CoreMetrics.Timer
        let firstByte: CoreMetrics.Timer
    }

    /// The labels of a request counter.
    struct RequestLabels: Hashable {
        let route: String
        let model: String
        let status: String
    }

    /// The labels of a token counter.
    struct TokenLabels: Hashable {
        let model: String
        let kind: String
    }

    private var models: Set<String> = []
    private var latencies: [String: Latency] = [:]
    private var requestCounters: [RequestLabels: CoreMetrics.Counter] = [:]
    private var tokenCounters: [TokenLabels: CoreMetrics.Counter] = [:]

    /// `model`, or `other` once `ServerMetrics.maximumModels` names have series (so made-up names cannot grow the
    /// scrape forever).
    mutating func label(forModel model: String) -> String {
        if models.contains(model) { return model }
        guard models.count < ServerMetrics.maximumModels else { return "other" }
        models.insert(model)
        return model
    }

    /// The counter of requests with these labels (and the dialect its route speaks).
    mutating func requests(route: String, model: String, status: String, factory: PrometheusMetricsFactory) -> CoreMetrics.Counter {
        let labels = RequestLabels(route: route, model: model, status: status)
        if let counter = requestCounters[labels] { return counter }
        let dimensions = [("route", route), ("model", model), ("status", status), ("dialect", APIDialect.of(path: route).name)]
        let counter = Counter(label: "ghc_api_requests_total", dimensions: dimensions, factory: factory)
        requestCounters[labels] = counter
        return counter
    }

    /// The latency histograms of `model`.
    mutating func latency(of model: String, factory: PrometheusMetricsFactory) -> Latency {
        if let latency = latencies[model] { return latency }
        let latency = Latency(
            duration: Timer(label: "ghc_api_upstream_duration_seconds", dimensions: [("model", model)], factory: factory),
            firstByte: Timer(label: "ghc_api_upstream_first_byte_seconds", dimensions: [("model", model)], factory: factory)
        )
        latencies[model] = latency
        return latency
    }

    /// The counter of `model`'s tokens of one kind (made when the first is counted, so a kind a model never uses has
    /// no series).
    mutating func tokens(of model: String, kind: String, factory: PrometheusMetricsFactory) -> CoreMetrics.Counter {
        let labels = TokenLabels(model: model, kind: kind)
        if let counter = tokenCounters[labels] { return counter }
        let counter = Counter(label: "ghc_api_tokens_total", dimensions: [("model", model), ("kind", kind)], factory: factory)
        tokenCounters[labels] = counter
        return counter
    }
}
