import AsyncHTTPClient
import GHCCore
import GHCUpstream
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// How a proxied exchange ended, for the log line (and later the request record).
public struct RelayOutcome: Sendable {
    /// The status sent to the client.
    public var status: Int
    /// Whether the answer was streamed.
    public var streamed: Bool
    /// Why it failed, if it did.
    public var failure: String?
}

/// Turns an upstream answer into the client's response: errors in the client's shape with their status and
/// `Retry-After`, JSON relayed as it arrives, streams relayed event by event with their end checked.
struct UpstreamRelay: Sendable {
    let dialect: APIDialect
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
        onFinish(RelayOutcome(status: status, streamed: false, failure: message))
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
        return Response(
            status: .init(code: Int(upstream.status.code)), headers: headers,
            body: ResponseBody(contentLength: length) { writer in
                do {
                    for try await chunk in upstream.body { try await writer.write(chunk) }
                    try await writer.finish(nil)
                    onFinish(RelayOutcome(status: Int(upstream.status.code), streamed: false, failure: nil))
                } catch {
                    onFinish(RelayOutcome(status: Int(upstream.status.code), streamed: false, failure: "upstream body interrupted: \(UpstreamHTTP.reason(error))"))
                    throw error
                }
            })
    }

    /// A server-sent event stream, relayed event by event (all events of one upstream read in one write),
    /// byte for byte, stopped at the grammar's end; a broken or silent upstream ends it with an error event.
    /// A client that goes away cancels the upstream request.
    func stream<Grammar: StreamGrammar>(from upstream: HTTPClientResponse, inbound: Request, grammar: Grammar) -> Response {
        let onFinish = self.onFinish
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("x-accel-buffering")!: "no"]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var outcome = RelayOutcome(status: 200, streamed: true, failure: nil)
                do {
                    try await inbound.body.consumeWithCancellationOnInboundClose { _ in
                        outcome.failure = try await Self.pump(upstream, grammar: grammar, into: &writer)
                    }
                } catch {
                    outcome.status = 499
                    outcome.failure = "client disconnected"
                    onFinish(outcome)
                    throw error
                }
                onFinish(outcome)
                try await writer.finish(nil)
            })
    }

    /// Copies events until the grammar's end; returns why the stream failed, if it did.
    private static func pump<Grammar: StreamGrammar>(_ upstream: HTTPClientResponse, grammar: Grammar, into writer: inout any ResponseBodyWriter) async throws -> String? {
        var grammar = grammar
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
                    try await writer.write(output)
                    output.clear()
                }
                if finished { return nil }
                if let failure { return failure }
            }
            let reason = "the upstream stream ended before it was complete"
            try await writer.write(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_stream_incomplete")))
            return reason
        } catch let error as CancellationError {
            throw error
        } catch let error as HTTPClientError where error == .readTimeout {
            let reason = "the upstream sent nothing for longer than upstream_read_timeout"
            try await writer.write(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_idle_timeout")))
            return reason
        } catch let error as SSEParseError {
            try await writer.write(ByteBuffer(bytes: grammar.errorEvent(message: error.description, code: "upstream_malformed_event")))
            return error.description
        } catch {
            if Task.isCancelled { throw CancellationError() }
            let reason = "the upstream connection failed mid-stream: \(UpstreamHTTP.reason(error))"
            try await writer.write(ByteBuffer(bytes: grammar.errorEvent(message: reason, code: "upstream_stream_interrupted")))
            return reason
        }
    }
}
