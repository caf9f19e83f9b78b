import GHCStore
import Testing

@testable import GHCServer

@Suite("Server metrics")
struct ServerMetricsTests {
    /// The text of `metrics` after a scrape with no gauges or totals.
    private func text(_ metrics: ServerMetrics, totals: [(name: String, value: Int)] = []) -> String {
        String(decoding: metrics.render(gauges: [], totals: totals), as: UTF8.self)
    }

    @Test("made-up model names stop getting series of their own after the limit")
    func modelLabelsAreBounded() {
        let metrics = ServerMetrics()
        for index in 0..<(ServerMetrics.maximumModels + 5) {
            var record = RequestRecord(
                id: "\(index)",
                timestamp: 0,
                clientIP: "",
                requestHeaders: [],
                model: "m\(index)",
                endpoint: "/v1/chat/completions"
            )
            record.statusCode = 404
            metrics.count(record)
        }
        let output = text(metrics)
        #expect(output.contains("model=\"m0\""))
        #expect(!output.contains("model=\"m\(ServerMetrics.maximumModels)\""))
        #expect(
            output.contains("ghc_api_requests_total{route=\"/v1/chat/completions\",model=\"other\",status=\"404\",dialect=\"openai\"} 5")
        )
    }

    @Test("a running total read at scrape time becomes a counter that never goes down")
    func totalsBecomeCounters() {
        let metrics = ServerMetrics()
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 3)]).contains("ghc_api_history_dropped_total 3"))
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 7)]).contains("ghc_api_history_dropped_total 7"))
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 7)]).contains("ghc_api_history_dropped_total 7"))
    }
}
