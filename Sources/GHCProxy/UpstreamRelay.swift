import GHCCore
import GHCStore
import GHCUpstream
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// How a proxied exchange ended, for the log line and the request record.
package struct RelayOutcome: Sendable {
    /// The status sent to the client.
    package var status: Int
    /// Whether the answer was streamed.
    package var streamed: Bool
    /// Why it failed, if it did.
    package var failure: String?
    /// The start of the answer as sent to the client (at most the capture limit).
    package var body: [UInt8] = []
    /// The answer's full size.
    package var responseSize = 0
    /// Token usage seen in the answer.
    package var usage = TokenUsage()

    /// An outcome with nothing captured yet.
    package init(status: Int, streamed: Bool, failure: String?) {
        self.status = status
        self.streamed = streamed
        self.failure = failure
    }

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
    func error(from upstream: PooledHTTPAnswer) async -> Response {
        error(from: upstream, body: await Self.errorBody(upstream))
    }

    /// The first MiB of an error answer's body.
    static func errorBody(_ upstream: PooledHTTPAnswer) async -> [UInt8] {
        (try? await upstream.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
    }

    /// An upstream non-2xx answer whose body was read already, as the client's error.
    func error(from upstream: PooledHTTPAnswer, body: [UInt8]) -> Response {
        let status = Int(upstream.status.code)
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter = upstream.headers.first(name: "retry-after") { headers[.retryAfter] = retryAfter }
        let json = try? JSONValue.parse(body)
        let copilotMessage =
            Self.unwrapMessage(json?["error"]?["message"]?.stringValue) ?? json?["message"]?.stringValue ?? json?["error"]?.stringValue
        let message =
            copilotMessage
            ?? (body.isEmpty ? "Copilot answered HTTP \(status)" : "Copilot answered HTTP \(status): \(Array(body.prefix(300)).utf8String)")
        var outcome = RelayOutcome(status: status, streamed: false, failure: message)
        outcome.capture(body, limit: captureLimit)
        onFinish(outcome)
        let alreadyShaped =
            switch dialect {
            case .openAI: json?["error"]?["message"]?.stringValue != nil
            case .anthropic: json?["type"]?.stringValue == "error" && json?["error"]?["message"]?.stringValue != nil
            }
        if alreadyShaped {
            return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        let code = json?["error"]?["code"]?.stringValue ?? "upstream_\(status)"
        let error = ProxyError(
            .init(code: status),
            type: status >= 500 ? "upstream_error" : "invalid_request_error",
            code: code,
            message: message,
            headers: headers,
            dialect: dialect
        )
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(error.body))))
    }

    /// Copilot sometimes wraps an Anthropic error JSON inside an OpenAI error's `message`; this takes the inner message.
    static func unwrapMessage(_ message: String?) -> String? {
        guard let message, message.hasPrefix("{"), let inner = try? JSONValue.parse(Array(message.utf8)) else { return message }
        return inner["error"]?["message"]?.stringValue ?? message
    }

    /// A whole JSON answer, relayed chunk by chunk as it arrives.
    func json(from upstream: PooledHTTPAnswer) -> Response {
        var headers: HTTPFields = [.contentType: upstream.headers.first(name: "content-type") ?? "application/json"]
        if let requestID = upstream.headers.first(name: "x-request-id") { headers[HTTPField.Name("x-copilot-request-id")!] = requestID }
        let length = upstream.headers.first(name: "content-length").flatMap { Int($0) }
        let onFinish = self.onFinish
        let limit = captureLimit
        return Response(
            status: .init(code: Int(upstream.status.code)),
            headers: headers,
            body: ResponseBody(contentLength: length) { writer in
                var outcome = RelayOutcome(status: Int(upstream.status.code), streamed: false, failure: nil)
                var relayed = false
                var clientLeft = false
                do {
                    for try await chunk in upstream.body where chunk.readableBytes > 0 {
                        outcome.capture(chunk.readableBytesView, limit: limit)
                        do {
                            try await writer.write(chunk)
                        } catch {
                            clientLeft = true
                            throw error
                        }
                    }
                    relayed = true
                    try await writer.finish(nil)
                    Self.countUsage(in: &outcome)
                    onFinish(outcome)
                } catch {
                    if relayed {
                        // Every byte reached the client, which closed the connection as the answer ended (curl does).
                        Self.countUsage(in: &outcome)
                    } else if clientLeft || Task.isCancelled {
                        outcome.status = 499
                        outcome.failure = "the client closed the connection before the answer ended"
                    } else {
                        outcome.failure = "upstream body interrupted: \(UpstreamHTTP.reason(error))"
                    }
                    onFinish(outcome)
                    throw error
                }
            }
        )
    }

    /// The usage of a whole JSON answer.
    private static func countUsage(in outcome: inout RelayOutcome) {
        if outcome.body.count == outcome.responseSize { UsageExtraction.merge(document: outcome.body, into: &outcome.usage) }
    }

    /// A server-sent event stream, relayed event by event (all events of one upstream read in one write),
    /// byte for byte, stopped at the grammar's end; a broken or silent upstream ends it with an error event.
    /// A client that goes away cancels the upstream request.
    func stream<Grammar: StreamGrammar>(
        from upstream: UpstreamBody,
        keepaliveSeconds: Int,
        grammar: Grammar
    ) -> Response {
        EventStreamResponse.make(
            dialect: dialect,
            keepaliveSeconds: keepaliveSeconds,
            captureLimit: captureLimit,
            onFinish: onFinish
        ) { sink in
            try await Self.pump(upstream, grammar: grammar, into: &sink)
        }
    }

    /// Copies events until the grammar's end; returns why it failed, if it did, and the usage seen. A write that
    /// fails (the client left) and a cancellation are thrown.
    private static func pump<Grammar: StreamGrammar>(
        _ upstream: UpstreamBody,
        grammar: Grammar,
        into sink: inout StreamSink
    ) async throws -> StreamEnd {
        var grammar = grammar
        var parser = ServerSentEventParser()
        var output = ByteBuffer()
        let failure: (reason: String, code: String)
        do {
            for try await chunk in upstream {
                guard chunk.readableBytes > 0 else {
                    try await sink.upstreamIsSilent()
                    continue
                }
                var ended: String??
                for event in try parser.feed(chunk.readableBytesView) {
                    switch grammar.inspect(event) {
                    case .forward:
                        output.writeBytes(event.raw)
                    case .finish:
                        output.writeBytes(event.raw)
                        ended = .some(nil)
                    case .malformed(let reason):
                        output.writeBytes(grammar.errorEvent(message: reason, code: "upstream_malformed_event"))
                        ended = reason
                    }
                    if ended != nil { break }
                }
                try await sink.send(output)
                if output.readableBytes > 0 { output = ByteBuffer() }
                if let ended { return StreamEnd(failure: ended, usage: grammar.usage) }
            }
            failure = ("the upstream stream ended before it was complete", "upstream_stream_incomplete")
        } catch {
            if sink.clientLeft || error is CancellationError { throw error }
            if Task.isCancelled { throw CancellationError() }
            if case UpstreamError.timeout = error {
                failure = ("the upstream sent nothing for longer than upstream_read_timeout", "upstream_idle_timeout")
            } else if let error = error as? SSEParseError {
                failure = (error.description, "upstream_malformed_event")
            } else {
                failure = ("the upstream connection failed mid-stream: \(UpstreamHTTP.reason(error))", "upstream_stream_interrupted")
            }
        }
        try await sink.send(ByteBuffer(bytes: grammar.errorEvent(message: failure.reason, code: failure.code)))
        return StreamEnd(failure: failure.reason, usage: grammar.usage)
    }
}
