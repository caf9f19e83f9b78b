import GHCCore
import GHCTranslation
import GHCUpstream
import HTTPTypes
import Hummingbird
import NIOCore

/// Relays an upstream stream through a translator: as a stream to a streaming client (each upstream read's
/// items in one write), or folded into one JSON answer for a client that asked for no stream.
struct TranslatedRelay: Sendable {
    /// Most answer bytes kept for the record.
    let captureLimit: Int
    /// Called once with how the exchange ended.
    let onFinish: @Sendable (RelayOutcome) -> Void

    /// A translated event stream; a client that goes away cancels the upstream request.
    func stream<Translator: StreamTranslator>(
        _ upstream: UpstreamBody,
        dialect: APIDialect,
        keepaliveSeconds: Int,
        translator: Translator
    ) -> Response {
        EventStreamResponse.make(
            dialect: dialect,
            keepaliveSeconds: keepaliveSeconds,
            captureLimit: captureLimit,
            onFinish: onFinish
        ) { sink in
            var translator = translator
            let renderer = translator
            var end = StreamEnd()
            end.failure = try await Self.pump(upstream, translator: &translator, onSilence: { try await sink.upstreamIsSilent() }) {
                items in
                var buffer = ByteBuffer()
                for item in items {
                    buffer.writeBytes(renderer.render(item))
                    if let usage = renderer.usagePayload(item) { UsageExtraction.merge(usage, into: &end.usage) }
                }
                try await sink.send(buffer)
            }
            return end
        }
    }

    /// Reads the whole upstream stream and returns the folded answer; a client that leaves meanwhile cancels the
    /// upstream request (the record says `499`).
    func whole<Translator: StreamTranslator>(
        _ upstream: UpstreamBody,
        translator: Translator,
        fold: @Sendable ([Translator.Item]) -> Result<JSONValue, ProxyError>
    ) async -> Response {
        let read: (failure: String?, items: [Translator.Item], translator: Translator)
        do {
            var translator = translator
            var collected: [Translator.Item] = []
            let failure = try await Self.pump(upstream, translator: &translator) { items in collected += items }
            read = (failure, collected, translator)
        } catch {
            onFinish(RelayOutcome(status: 499, streamed: false, failure: "client disconnected"))
            return Response(status: .init(code: 499))
        }
        var outcome = RelayOutcome(status: 200, streamed: false, failure: read.failure)
        for item in read.items { if let usage = read.translator.usagePayload(item) { UsageExtraction.merge(usage, into: &outcome.usage) } }
        let body: [UInt8]
        switch fold(read.items) {
        case .success(let json):
            body = JSONWriter.bytes(json)
        case .failure(let error):
            body = JSONWriter.bytes(error.body)
            outcome.status = Int(error.status.code)
            outcome.failure = error.message
        }
        outcome.capture(body, limit: captureLimit)
        onFinish(outcome)
        return Response(
            status: .init(code: outcome.status),
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body))
        )
    }

    /// Feeds upstream events through the translator until it is finished; returns why it failed, if it did. An
    /// empty upstream read (an idle tick) calls `onSilence`; what `emit` or `onSilence` throw (the client left) is
    /// thrown, as is a cancellation.
    private static func pump<Translator: StreamTranslator>(
        _ upstream: UpstreamBody,
        translator: inout Translator,
        onSilence: () async throws -> Void = {},
        emit: ([Translator.Item]) async throws -> Void
    ) async throws -> String? {
        var parser = ServerSentEventParser()
        // A translator that ends because the upstream broke says so in an error item: that is the failure recorded.
        var failure: String?
        var writing = false
        do {
            for try await chunk in upstream {
                writing = true
                guard chunk.readableBytes > 0 else {
                    try await onSilence()
                    writing = false
                    continue
                }
                writing = false
                var items: [Translator.Item] = []
                for event in try parser.feed(chunk.readableBytesView) {
                    items += translator.translate(event)
                    if translator.isFinished { break }
                }
                failure = items.lazy.compactMap(translator.failureMessage).first ?? failure
                writing = true
                try await emit(items)
                writing = false
                if translator.isFinished { return failure }
            }
            let items = translator.finish()
            writing = true
            try await emit(items)
            return items.lazy.compactMap(translator.failureMessage).first ?? failure
        } catch {
            if writing || error is CancellationError { throw error }
            if Task.isCancelled { throw CancellationError() }
            let reason =
                if case UpstreamError.timeout = error {
                    "the upstream sent nothing for longer than upstream_read_timeout"
                } else {
                    "the upstream connection failed mid-stream: \(UpstreamHTTP.reason(error))"
                }
            try await emit([translator.failure(reason)])
            return reason
        }
    }
}
