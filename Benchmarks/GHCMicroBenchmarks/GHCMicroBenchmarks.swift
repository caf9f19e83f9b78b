import Benchmark
import GHCCore
import GHCStore
import GHCTranslation

/// The hot pieces of a proxied request, each measured alone: wall-clock time and allocations, which
/// `scripts/micro-benchmark check` compares with the counts kept in `Thresholds/` (any increase fails it).
///
/// One iteration is one request body or one whole streamed answer, so the allocation counts are per request.
/// Names have no spaces: the tool writes a threshold file with spaces turned into `_` but looks it up by the name as is.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        maxDuration: .seconds(2),
        maxIterations: 100_000,
        thresholds: [.mallocCountTotal: .init(absolute: BenchmarkThresholds.Absolute.strict)]
    )
    requestBodyBenchmarks()
    streamBenchmarks()
    recordBenchmarks()
}

/// Reading a client's request: the JSON member scan every route does, and the Anthropic translations.
func requestBodyBenchmarks() {
    Benchmark("JSON-parse-small-chat-request") { benchmark in
        for _ in benchmark.scaledIterations {
            let parsed = try JSONParser.parseDocument(Samples.smallChat)
            blackHole((parsed.value["model"]?.stringValue, parsed.value["stream"]?.boolValue, parsed.memberRanges.count))
        }
    }
    Benchmark("JSON-parse-and-write-300KB-Claude-Code-request") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(JSONWriter.bytes(try JSONValue.parse(Samples.claudeCode)))
        }
    }
    Benchmark("Anthropic-shaping-300KB-Claude-Code-request") { benchmark in
        let request = try JSONValue.parse(Samples.claudeCode).objectValue ?? [:]
        for _ in benchmark.scaledIterations {
            var shaped = request
            AnthropicShaping.shape(&shaped, filters: ContentFilters())
            blackHole(CopilotMessagesCompatibility.shape(&shaped, passSystemMessages: false))
        }
    }
    Benchmark("Anthropic-to-Chat-Completions-300KB-Claude-Code-request") { benchmark in
        let request = try JSONValue.parse(Samples.claudeCode).objectValue ?? [:]
        for _ in benchmark.scaledIterations {
            blackHole(JSONWriter.bytes(try AnthropicToChat.request(request, model: "gpt-5.5", efforts: ["low", "medium", "high"])))
        }
    }
}

/// Relaying a streamed answer: SSE parsing and each stream translator, over a whole answer of 64 text deltas.
func streamBenchmarks() {
    let deltas = 64
    let chat = Samples.chatStream(deltas: deltas)
    let responses = Samples.responsesStream(deltas: deltas)
    Benchmark("SSE-parse-Chat-Completions-answer-\(deltas)-deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = ServerSentEventParser()
            blackHole(try parser.feed(chat).count)
        }
    }
    Benchmark("JSON-skim-Chat-Completions-answer-\(deltas)-deltas") { benchmark in
        var parser = ServerSentEventParser()
        let events = try parser.feed(chat)
        let members = ["usage", "error"]
        for _ in benchmark.scaledIterations {
            for event in events where event.data != "[DONE]" {
                blackHole(try JSONParser.skim(event.data, members: members))
            }
        }
    }
    Benchmark("JSON-parse-Chat-Completions-answer-\(deltas)-deltas") { benchmark in
        var parser = ServerSentEventParser()
        let events = try parser.feed(chat)
        for _ in benchmark.scaledIterations {
            for event in events where event.data != "[DONE]" {
                blackHole(try JSONValue.parse(Array(event.data.utf8)))
            }
        }
    }
    Benchmark("Chat-Completions-to-Anthropic-stream-\(deltas)-deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var machine = ChatToAnthropicStream(model: "claude-sonnet-4.5")
            blackHole(
                try relayedBytes(chat) { data in
                    let events = data == "[DONE]" ? machine.finish() : machine.consume(try JSONValue.parse(Array(data.utf8)))
                    return events.reduce(0) { $0 + $1.bytes.count }
                }
            )
        }
    }
    Benchmark("Responses-to-Anthropic-stream-\(deltas)-deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var machine = ResponsesToAnthropicStream(model: "gpt-5.5")
            blackHole(
                try relayedBytes(responses) { machine.consume(try JSONValue.parse(Array($0.utf8))).reduce(0) { $0 + $1.bytes.count } }
            )
        }
    }
    Benchmark("Responses-to-Chat-Completions-stream-\(deltas)-deltas") { benchmark in
        for _ in benchmark.scaledIterations {
            var machine = ResponsesToChatStream(model: "gpt-5.5", id: "chatcmpl-1")
            blackHole(
                try relayedBytes(responses) {
                    machine.consume(try JSONValue.parse(Array($0.utf8))).reduce(0) { $0 + JSONWriter.bytes($1).count }
                }
            )
        }
    }
}

/// Parses the events of `wire` as the relay does and hands each one's data to `translate`; the bytes it wrote in all.
func relayedBytes(_ wire: [UInt8], _ translate: (String) throws -> Int) throws -> Int {
    var parser = ServerSentEventParser()
    return try parser.feed(wire).reduce(0) { $0 + (try translate($1.data)) }
}

/// Keeping a request: the compression the history writer gives each large body.
func recordBenchmarks() {
    Benchmark("History-compression-300KB-request-body") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try Compression.deflate(Samples.claudeCode))
        }
    }
}
