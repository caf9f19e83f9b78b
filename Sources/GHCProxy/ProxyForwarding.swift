import GHCCore
import GHCUpstream
import Hummingbird
import Logging
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sends a shaped request to Copilot and relays the answer in the client's dialect.
struct ProxyForwarding: Sendable {
    /// The Copilot client, logger and configuration the calls use.
    let services: ProxyServices

    /// Calls Copilot and answers the client: an error before the answer starts keeps its status; a stream is
    /// relayed when the client asked for one and Copilot sent one.
    /// - Parameters:
    ///   - replaysEarlyFailures: replay a Responses stream that fails before any output (`UpstreamBody`).
    ///   - recover: for a `400`, the call to try once instead (undecryptable content left out), if there is one.
    func forward<Grammar: StreamGrammar>(
        _ call: CopilotCall,
        exchange: ClientExchange,
        stream: Bool,
        grammar: Grammar,
        dialect: APIDialect,
        label: String,
        replaysEarlyFailures: Bool = false,
        recover: (@Sendable (JSONValue?) -> CopilotCall?)? = nil
    ) async throws(ProxyError) -> Response {
        let record = exchange.record(in: services.recorder, upstreamBody: call.body)
        var (upstream, finish) = try await open(call, stream: stream, exchange: exchange, record: record, dialect: dialect, label: label)
        var relay = UpstreamRelay(dialect: dialect, captureLimit: record.captureLimit, onFinish: finish.callAsFunction)
        var sent = call
        if upstream.status == .badRequest, let recover {
            let body = await UpstreamRelay.errorBody(upstream)
            guard let retry = recover(try? JSONValue.parse(body)) else { return relay.error(from: upstream, body: body) }
            services.logger.info("Copilot could not decrypt earlier encrypted content; retrying once without it")
            finish.dismiss()
            (upstream, finish) = try await open(
                retry,
                stream: stream,
                exchange: exchange,
                record: record,
                dialect: dialect,
                label: label + " (without encrypted content)"
            )
            relay = UpstreamRelay(dialect: dialect, captureLimit: record.captureLimit, onFinish: finish.callAsFunction)
            sent = retry
        }
        guard (200..<300).contains(Int(upstream.status.code)) else { return await relay.error(from: upstream) }
        let isEventStream = upstream.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") == true
        if stream && isEventStream {
            let body = UpstreamBody(upstream, replay: replaysEarlyFailures ? replay(sent, stream: stream, label: label) : nil)
            return relay.stream(
                from: body,
                keepaliveSeconds: services.config.current.sseKeepaliveInterval,
                grammar: grammar
            )
        }
        return relay.json(from: upstream)
    }

    /// How to replay `call` when its Responses stream fails before any output: up to `max_connection_retries` times,
    /// when `enable_responses_early_failure_retry` is on (with idle ticks when the client gets a stream).
    func replay(_ call: CopilotCall, stream: Bool, label: String) -> UpstreamBody.Replay? {
        let config = services.config.current
        guard config.replaysEarlyResponsesFailures else { return nil }
        let copilot = services.copilot
        let logger = services.logger
        return UpstreamBody.Replay(
            reopen: { [call = ticking(call, stream: stream)] in try await copilot.open(call) },
            attempts: config.maxConnectionRetries,
            onReplay: { attempt in
                logger.info("\(label): Copilot's Responses stream failed before any output; sending it again (\(attempt))")
            }
        )
    }

    /// Calls Copilot (always streaming) and answers through a translator: as a stream, or folded into one answer.
    func forwardTranslated<Translator: StreamTranslator>(
        _ call: CopilotCall,
        exchange: ClientExchange,
        stream: Bool,
        translator: Translator,
        dialect: APIDialect,
        label: String,
        replaysEarlyFailures: Bool = false,
        fold: @escaping @Sendable ([Translator.Item]) -> Result<JSONValue, ProxyError>
    ) async throws(ProxyError) -> Response {
        let record = exchange.record(in: services.recorder, upstreamBody: call.body)
        let (upstream, finish) = try await open(call, stream: stream, exchange: exchange, record: record, dialect: dialect, label: label)
        guard (200..<300).contains(Int(upstream.status.code)) else {
            return await UpstreamRelay(dialect: dialect, captureLimit: record.captureLimit, onFinish: finish.callAsFunction)
                .error(from: upstream)
        }
        let relay = TranslatedRelay(captureLimit: record.captureLimit, onFinish: finish.callAsFunction)
        let body = UpstreamBody(upstream, replay: replaysEarlyFailures ? replay(call, stream: stream, label: label) : nil)
        if stream {
            let keepalive = services.config.current.sseKeepaliveInterval
            return relay.stream(
                body,
                dialect: dialect,
                keepaliveSeconds: keepalive,
                translator: translator
            )
        }
        return await relay.whole(body, translator: translator, fold: fold)
    }

    /// `call`, asking for idle ticks of its answer at the keepalive interval when the client gets a stream. Every call
    /// this type sends goes through it (first calls, retries without encrypted content, replays).
    private func ticking(_ call: CopilotCall, stream: Bool) -> CopilotCall {
        let keepalive = services.config.current.sseKeepaliveInterval
        guard stream, keepalive > 0 else { return call }
        var call = call
        call.idleTick = .seconds(keepalive)
        return call
    }

    /// Whole milliseconds from `start` to now, for the request's log line.
    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    /// Opens the upstream call (moving the record through `sending` and `receiving`) and makes the `ExchangeFinish`
    /// that logs how the exchange ended and finishes the record. A client that leaves while Copilot has not answered
    /// yet cancels the call.
    private func open(
        _ call: CopilotCall,
        stream: Bool,
        exchange: ClientExchange,
        record: RecordHandle,
        dialect: APIDialect,
        label: String
    ) async throws(ProxyError) -> (PooledHTTPAnswer, ExchangeFinish) {
        let started = ContinuousClock.now
        let logger = services.logger
        let path = exchange.request.uri.path
        let line = "\(exchange.request.method.rawValue) \(path) \(label)"
        let (model, requestID) = (exchange.mapped, exchange.caller.requestID?.value)
        // The log line's metadata, made when the line is written (a copy of the logger with it set cost allocations).
        let lineMetadata: @Sendable (Int, Int64) -> Logger.Metadata = { status, milliseconds in
            var metadata: Logger.Metadata = [
                "route": .string(path), "model": .string(model), "status": .stringConvertible(status),
                "duration_ms": .stringConvertible(Int(milliseconds)),
            ]
            if let requestID { metadata["request_id"] = .string(requestID) }
            return metadata
        }
        let finish = ExchangeFinish { outcome in
            record.finish(outcome)
            let milliseconds = Self.milliseconds(since: started)
            let text = "\(line) → \(outcome.status)\(outcome.streamed ? " stream" : "") \(milliseconds) ms"
            let metadata = lineMetadata(outcome.status, milliseconds)
            if let failure = outcome.failure {
                logger.warning("\(text): \(failure)", metadata: metadata)
            } else {
                logger.info("\(text)", metadata: metadata)
            }
        }
        record.sending()
        do {
            let upstream = try await services.copilot.open(ticking(call, stream: stream))
            record.receiving()
            return (upstream, finish)
        } catch {
            let failure = Self.proxyError(for: error).in(dialect)
            record.fail(failure)
            let milliseconds = Self.milliseconds(since: started)
            logger.warning(
                "\(line) → \(failure.status.code): \(failure.message)",
                metadata: lineMetadata(failure.status.code, milliseconds)
            )
            throw failure
        }
    }

    /// The client-facing error for a failure before Copilot answered.
    static func proxyError(for error: UpstreamError) -> ProxyError {
        switch error {
        case .notLoggedIn, .githubTokenRejected:
            return .notAuthenticated(error.description)
        case .timeout:
            return ProxyError(.gatewayTimeout, type: "upstream_error", code: "upstream_timeout", message: error.description)
        case .cancelled:
            return ProxyError(.init(code: 499), type: "client_closed", code: "client_disconnected", message: "client disconnected")
        case .status(_, let code, _) where code == 429:
            return ProxyError(.tooManyRequests, type: "rate_limit_error", code: "upstream_rate_limited", message: error.description)
        default:
            return ProxyError(.badGateway, type: "upstream_error", code: "upstream_unavailable", message: error.description)
        }
    }
}
