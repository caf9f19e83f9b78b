import AsyncHTTPClient
import GHCCore
import GHCStore
import GHCUpstream
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// How a proxied exchange ended, for the log line and the request record.
public struct RelayOutcome: Sendable {
    /// The status sent to the client.
    public var status: Int
    /// Whether the answer was streamed.
    public var streamed: Bool
    /// Why it failed, if it did.
    public var failure: String?
    /// The start of the answer as sent to the client (at most the capture limit).
    public var body: [UInt8] = []
    /// The answer's full size.
    public var responseSize = 0
    /// Token usage seen in the answer.
    public var usage = TokenUsage()

    /// Adds sent bytes, keeping at most `limit` of them.
    mutating func capture(_ bytes: some Collection<UInt8>, limit: Int) {
        responseSize += bytes.count
        let room = limit - body.count
        if room > 0 { body.append(contentsOf: bytes.prefix(room)) }
    }
}

/// Turns an upstream answer into the client's response: errors in the client's shape with their status and
/// `Retry-After`, JSON relayed as it arrives, streams relayed event by event with their end checked.
struct UpstreamRelay: Sendable {
    /// The client's API dialect, which shapes its errors.
    let dialect: APIDialect
    /// Most answer bytes kept for the record.
    let captureLimit: Int
    /// Called once with how the exchange ended.
    let onFinish: @Sendable (RelayOutcome) -> Void

    /// An upstream non-2xx answer as the client's error: status and `Retry-After` kept; Copilot's own OpenAI-shaped
    /// body kept as it is for OpenAI clients.
    func error(from upstream: HTTPClientResponse) async -> Response {
        let body = (try? await upstream.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
        let status = Int(upstream.status.code)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter = upstream.headers.first(name: "retry-after") { headers[.retryAfter] = retryAfter }
        let json = try? JSONValue.parse(body)
        let copilotMessage = Self.unwrapMessage(json?["error"]?["message"]?.stringValue) ?? json?["message"]?.stringValue ?? json?["error"]?.stringValue
        let message = copilotMessage ?? (body.isEmpty ? "Copilot answered HTTP \(status)" : "Copilot answered HTTP \(status): \(Array(body.prefix(300)).utf8String)")
        var outcome = RelayOutcome(status: status, streamed: false, failure: message)
        outcome.capture(body, limit: captureLimit)
        onFinish(outcome)
        let alreadyShaped = switch dialect {
        case .openAI: json?["error"]?["message"]?.stringValue != nil
        case .anthropic: json?["type"]?.stringValue == "error" && json?["error"]?["message"]?.stringValue != nil
        }
        if alreadyShaped {
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let code = json?["error"]?["code"]?.stringValue ?? "upstream_\(status)"
        let error = ProxyError(.init(code: status), type: status >= 500 ? "upstream_error" : "invalid_request_error", code: code, message: message, headers: headers, dialect: dialect)
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(error.body))))
    }

    /// Copilot sometimes wraps an Anthropic error JSON inside an OpenAI error's `message`; this takes the inner message.
    static func unwrapMessage(_ message: String?) -> String? {
        guard let message, message.hasPrefix("{"), let inner = try? JSONValue.parse(Array(message.utf8)) else { return message }
        return inner["error"]?["message"]?.stringValue ?? message
    }

    /// A whole JSON answer, relayed chunk by chunk as it arrives.
    func json(from upstream: HTTPClientResponse) -> Response {
        var headers: HTTPFields = [.contentType: upstream.headers.first(name: "content-type") ?? "application/json"]
        if let requestID = upstream.headers.first(name: "x-request-id") { headers[HTTPField.Name("x-request-id")!] = requestID }
        let length = upstream.headers.first(name: "content-length").flatMap { Int($0) }
        let onFinish = self.onFinish
        let limit = captureLimit
        return Response(
            status: .init(code: Int(upstream.status.code)), headers: headers,
            body: ResponseBody(contentLength: length) { writer in
                var outcome = RelayOutcome(status: Int(upstream.status.code), streamed: false, failure: nil)
                do {
                    for try await chunk in upstream.body {
                        outcome.capture(chunk.readableBytesView, limit: limit)
                        try await writer.write(chunk)
                    }
                    try await writer.finish(nil)
                    if outcome.body.count == outcome.responseSize, let json = try? JSONValue.parse(outcome.body) {
                        UsageExtraction.merge(json, into: &outcome.usage)
                    }
                    onFinish(outcome)
                } catch {
                    outcome.failure = "upstream body interrupted: \(UpstreamHTTP.reason(error))"
                    onFinish(outcome)
                    throw error
                }
            })
    }

    /// A server-sent event stream, relayed event by event (all events of one upstream read in one write),
    /// byte for byte, stopped at the grammar's end; a broken or silent upstream ends it with an error event.
    /// A client that goes away cancels the upstream request.
    func stream<Grammar: StreamGrammar>(from upstream: HTTPClientResponse, inbound: Request, grammar: Grammar) -> Response {
        let limit = captureLimit
        return EventStreamResponse.make(inbound: inbound, onFinish: onFinish) { writer, outcome in
            try await Self.pump(upstream, grammar: grammar, into: &writer, outcome: &outcome, limit: limit)
        }
    }

    /// Copies events until the grammar's end, recording what was sent, its usage and why it failed, if it did.
    private static func pump<Grammar: StreamGrammar>(
        _ upstream: HTTPClientResponse, grammar: Grammar, into writer: inout any ResponseBodyWriter, outcome: inout RelayOutcome, limit: Int
    ) async throws {
        var grammar = grammar
        defer { outcome.usage = grammar.usage }
        func send(_ buffer: ByteBuffer) async throws {
            outcome.capture(buffer.readableBytesView, limit: limit)
            try await writer.write(buffer)
        }
        var parser = ServerSentEventParser()
        var output = ByteBuffer()
        do {
            for try await chunk in upstream.body {
                let events = try parser.feed(chunk.readableBytesView)
                var failure: String?
                var finished = false
                for event in events {
                    switch grammar.inspect(event) {
                    case .forward:
                        output.writeBytes(event.raw)
                    case .finish:
                        output.writeBytes(event.raw)
                        finished = true
                    case .malformed(let reason):
                        output.writeBytes(grammar.errorEvent(message: reason, code: "upstream_malformed_event"))
                        failure = reason
                    }
                    if finished || failure != nil { break }
                }
                if output.readableBytes > 0 {
                    try await send(output)
                    output.clear()
                }
                if finished { return }
                if let failure {
                    outcome.failure = failure
                    return
                }
            }
            let reason = "the upstream stream ended before it was complete"
            try await send(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_stream_incomplete")))
            outcome.failure = reason
        } catch let error as CancellationError {
            throw error
        } catch let error as HTTPClientError where error == .readTimeout {
            let reason = "the upstream sent nothing for longer than upstream_read_timeout"
            try await send(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_idle_timeout")))
            outcome.failure = reason
        } catch let error as SSEParseError {
            try await send(ByteBuffer(bytes: grammar.errorEvent(message: error.description, code: "upstream_malformed_event")))
            outcome.failure = error.description
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = "the upstream connection failed mid-stream: \(UpstreamHTTP.reason(error))"
            try await send(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_stream_interrupted")))
            outcome.failure = reason
        }
    }
}

/// The response of every relayed stream: SSE headers, a body that runs while the client is connected (a client
/// that leaves cancels it, and the record says `499`), and the record finished after the client has its last byte.
enum EventStreamResponse {
    /// An event-stream response whose body `produce` writes, with `onFinish` called once it ends or the client leaves.
    static func make(
        inbound: Request, onFinish: @escaping @Sendable (RelayOutcome) -> Void,
        produce: @escaping @Sendable (inout any ResponseBodyWriter, inout RelayOutcome) async throws -> Void
    ) -> Response {
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("x-accel-buffering")!: "no"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var outcome = RelayOutcome(status: 200, streamed: true, failure: nil)
                do {
                    try await inbound.body.consumeWithCancellationOnInboundClose { _ in try await produce(&writer, &outcome) }
                } catch {
                    outcome.status = 499
                    outcome.failure = "client disconnected"
                    onFinish(outcome)
                    throw error
                }
                // The client has its last byte before the record is finished (and its bodies compressed).
                defer { onFinish(outcome) }
                try await writer.finish(nil)
            })
    }
}
