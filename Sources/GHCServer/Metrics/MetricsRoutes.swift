import GHCProxy
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /metrics`: the server's metrics in Prometheus' text format. It needs a key whenever the API does.
struct MetricsRoutes: Sendable {
    /// The counters and histograms.
    let metrics: ServerMetrics
    /// The in-memory store (requests in flight, entries, bytes).
    let store: RequestStore
    /// The daily-file writer (queue and losses).
    let dailyFiles: DailyFileWriter
    /// The history database's writer, when there is one (records it could not keep up with).
    let history: RequestHistory?

    /// Adds the route to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            let text = metrics.render(gauges: gauges(), totals: totals())
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
        }
    }

    /// The gauges, read now.
    func gauges() -> [(name: String, value: Int)] {
        [
            ("ghc_api_requests_in_flight", store.inFlight().count),
            ("ghc_api_store_entries", store.count),
            ("ghc_api_store_bytes", store.storedBytes),
            ("ghc_api_daily_file_queue_bytes", dailyFiles.queuedBytes),
        ]
    }

    /// The running totals of records the writers lost, read now.
    func totals() -> [(name: String, value: Int)] {
        let losses = dailyFiles.losses
        return [
            ("ghc_api_daily_file_dropped_total", losses.dropped),
            ("ghc_api_daily_file_failed_total", losses.failed),
            ("ghc_api_history_dropped_total", history?.statisticsDropped ?? 0),
        ]
    }
}
