import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore

/// Where a stream's producer writes the bytes for the client, straight to the response; it keeps what the record
/// captures and sends the keepalives.
struct StreamSink: ~Copyable {
    private var writer: any ResponseBodyWriter
    private let keepalive: ByteBuffer
    private let keepaliveInterval: Duration?
    private let captureLimit: Int
    private var lastWrite = ContinuousClock.now
    /// How the stream is going, for the record.
    fileprivate(set) var outcome = RelayOutcome(status: 200, streamed: true, failure: nil)
    /// Whether a write failed: the client is gone.
    fileprivate(set) var clientLeft = false

    fileprivate init(writer: consuming any ResponseBodyWriter, dialect: APIDialect, keepaliveSeconds: Int, captureLimit: Int) {
        self.writer = writer
        self.keepalive = ByteBuffer(bytes: EventStreamResponse.keepalive(dialect))
        self.keepaliveInterval = keepaliveSeconds > 0 ? .seconds(keepaliveSeconds) : nil
        self.captureLimit = captureLimit
    }

    /// Writes `buffer` to the client; returns once the response took it (so a slow client slows the producer). An
    /// empty buffer (the upstream sent something the client does not see) sends a keepalive instead, if the client
    /// has seen nothing for the keepalive interval.
    mutating func send(_ buffer: ByteBuffer) async throws {
        guard buffer.readableBytes > 0 else { return try await keepAliveIfDue() }
        try await write(buffer)
        outcome.capture(buffer.readableBytesView, limit: captureLimit)
    }

    /// The upstream has been silent for the keepalive interval (its body gave an idle tick): a keepalive goes out.
    mutating func upstreamIsSilent() async throws {
        if keepaliveInterval != nil { try await write(keepalive) }
    }

    private mutating func keepAliveIfDue() async throws {
        guard let keepaliveInterval, ContinuousClock.now - lastWrite >= keepaliveInterval else { return }
        try await write(keepalive)
    }

    private mutating func write(_ buffer: ByteBuffer) async throws {
        do {
            try await writer.write(buffer)
        } catch {
            clientLeft = true
            throw error
        }
        if keepaliveInterval != nil { lastWrite = .now }
    }

    /// Ends the response.
    fileprivate mutating func finish() async throws {
        try await writer.finish(nil)
    }
}

/// How a producer's stream ended: why it failed, if it did, and the usage it saw.
struct StreamEnd: Sendable {
    /// Why the stream failed, if it did (the client was told with an error event).
    var failure: String?
    /// Token usage seen in the stream.
    var usage = TokenUsage()
}

/// The response of every relayed stream: SSE headers, and a body the producer writes in the request's own task.
/// - The connection stays open for the next request (HTTP keep-alive).
/// - A client that goes away (a failed write, or its connection closing, which cancels the connection's task) stops
///   the producer, and so the upstream request, within a fraction of a second; the record says `499`.
/// - While the upstream is silent for `sse_keepalive_interval` seconds (its body's idle ticks), or sends only what the
///   client does not see, a keepalive in the client's dialect is sent.
/// - The record is finished after the client has its last byte.
enum EventStreamResponse {
    /// An event-stream response whose body `produce` writes into a sink.
    static func make(
        dialect: APIDialect,
        keepaliveSeconds: Int,
        captureLimit: Int,
        onFinish: @escaping @Sendable (RelayOutcome) -> Void,
        produce: @escaping @Sendable (inout StreamSink) async throws -> StreamEnd
    ) -> Response {
        Response(
            status: .ok,
            headers: EventStreamHeaders.fields,
            body: ResponseBody { writer in
                var sink = StreamSink(writer: writer, dialect: dialect, keepaliveSeconds: keepaliveSeconds, captureLimit: captureLimit)
                let end: Result<StreamEnd, any Error>
                do { end = .success(try await produce(&sink)) } catch { end = .failure(error) }
                var outcome = sink.outcome
                // A stream that reached its end counts as delivered even when the client closes the connection (and so
                // cancels this task) right after its last event.
                let ended = if case .success = end { true } else { false }
                if sink.clientLeft || (Task.isCancelled && !ended) {
                    outcome.status = 499
                    outcome.failure = "client disconnected"
                    onFinish(outcome)
                    throw CancellationError()
                }
                switch end {
                case .success(let end):
                    outcome.failure = end.failure
                    outcome.usage = end.usage
                case .failure(let error):
                    outcome.failure = "the stream failed: \(error)"
                }
                // The client has its last byte before the record is finished (and its bodies compressed).
                defer { onFinish(outcome) }
                try await sink.finish()
            }
        )
    }

    /// The keepalive of a dialect: Anthropic's `ping` event, or an SSE comment for OpenAI clients.
    static func keepalive(_ dialect: APIDialect) -> [UInt8] {
        switch dialect {
        case .anthropic: Array("event: ping\ndata: {\"type\": \"ping\"}\n\n".utf8)
        case .openAI: Array(": keepalive\n\n".utf8)
        }
    }
}
