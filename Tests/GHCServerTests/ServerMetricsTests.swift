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

    @Test("a request's series are found again: counts, latencies and tokens add up, unused token kinds stay absent")
    func seriesAccumulate() {
        let metrics = ServerMetrics()
        for index in 0..<3 {
            var record = RequestRecord(
                id: "\(index)",
                timestamp: 0,
                clientIP: "",
                requestHeaders: [],
                model: "gpt-5",
                endpoint: "/v1/messages"
            )
            record.statusCode = 200
            record.duration = 0.02
            record.timeToFirstByte = 0.007
            record.usage = TokenUsage(input: 10, output: 5, cacheRead: index == 2 ? 4 : 0, cacheCreation: 0)
            metrics.count(record)
        }
        let output = text(metrics)
        #expect(output.contains(#"ghc_api_requests_total{route="/v1/messages",model="gpt-5",status="200",dialect="anthropic"} 3"#))
        #expect(output.contains(#"ghc_api_upstream_duration_seconds_count{model="gpt-5"} 3"#))
        #expect(output.contains(#"ghc_api_upstream_duration_seconds_bucket{model="gpt-5",le="0.025"} 3"#))
        #expect(output.contains(#"ghc_api_upstream_first_byte_seconds_bucket{model="gpt-5",le="0.005"} 0"#))
        #expect(output.contains(#"ghc_api_upstream_first_byte_seconds_bucket{model="gpt-5",le="0.01"} 3"#))
        #expect(output.contains(#"ghc_api_tokens_total{model="gpt-5",kind="input"} 30"#))
        #expect(output.contains(#"ghc_api_tokens_total{model="gpt-5",kind="output"} 15"#))
        #expect(output.contains(#"ghc_api_tokens_total{model="gpt-5",kind="cache_read"} 4"#))
        #expect(!output.contains(#"kind="cache_creation""#))
    }

    @Test("a running total read at scrape time becomes a counter that never goes down")
    func totalsBecomeCounters() {
        let metrics = ServerMetrics()
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 3)]).contains("ghc_api_history_dropped_total 3"))
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 7)]).contains("ghc_api_history_dropped_total 7"))
        #expect(text(metrics, totals: [("ghc_api_history_dropped_total", 7)]).contains("ghc_api_history_dropped_total 7"))
    }
}
