import AsyncAlgorithms
import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// Where a stream's producer puts the bytes for the client.
struct StreamSink: Sendable {
    fileprivate let channel: AsyncChannel<StreamSignal>

    /// Hands `buffer` to the writer; returns once the writer has taken it (so a slow client slows the producer).
    func send(_ buffer: ByteBuffer) async {
        await channel.send(.data(buffer))
    }
}

/// How a producer's stream ended: why it failed, if it did, and the usage it saw.
struct StreamEnd: Sendable {
    /// Why the stream failed, if it did (the client was told with an error event).
    var failure: String?
    /// Token usage seen in the stream.
    var usage = TokenUsage()
}

/// What the writer of a relayed stream hears.
private enum StreamSignal: Sendable {
    case data(ByteBuffer)
    case keepalive
    case end(Result<StreamEnd, any Error>)
}

/// The response of every relayed stream: SSE headers, and a body that one task writes while another produces it.
/// - The connection stays open for the next request (HTTP keep-alive).
/// - A client that goes away (a failed write, or its connection closing) cancels the producer, and so the upstream
///   request, within a fraction of a second; the record says `499`.
/// - While the producer is silent for `sse_keepalive_interval` seconds, a keepalive in the client's dialect is sent.
/// - The record is finished after the client has its last byte.
enum EventStreamResponse {

    /// An event-stream response whose body `produce` sends into a sink.
    static func make(
        dialect: APIDialect,
        keepaliveSeconds: Int,
        captureLimit: Int,
        onFinish: @escaping @Sendable (RelayOutcome) -> Void,
        produce: @escaping @Sendable (StreamSink) async throws -> StreamEnd
    ) -> Response {
        Response(
            status: .ok,
            headers: EventStreamHeaders.fields,
            body: ResponseBody { writer in
                var outcome = RelayOutcome(status: 200, streamed: true, failure: nil)
                let signals = AsyncChannel<StreamSignal>()
                let lastWrite = LastWrite()
                // A client that leaves cancels the connection's task (`ClientConnection.handle`), which ends this loop.
                let clientStayed = await withTaskGroup(of: Void.self) { group -> Bool in
                    group.addTask {
                        let end: Result<StreamEnd, any Error>
                        do { end = .success(try await produce(StreamSink(channel: signals))) } catch { end = .failure(error) }
                        await signals.send(.end(end))
                    }
                    if keepaliveSeconds > 0 {
                        group.addTask { await keepAlive(every: keepaliveSeconds, lastWrite: lastWrite, signals: signals) }
                    }
                    defer {
                        group.cancelAll()
                        signals.finish()
                    }
                    for await signal in signals {
                        let bytes: ByteBuffer
                        switch signal {
                        case .data(let buffer): bytes = buffer
                        case .keepalive: bytes = ByteBuffer(bytes: keepalive(dialect))
                        case .end(.success(let end)):
                            outcome.failure = end.failure
                            outcome.usage = end.usage
                            return true
                        case .end(.failure(let error)):
                            outcome.failure = "the stream failed: \(error)"
                            return true
                        }
                        do {
                            try await writer.write(bytes)
                        } catch {
                            return false
                        }
                        lastWrite.now()
                        if case .data = signal { outcome.capture(bytes.readableBytesView, limit: captureLimit) }
                    }
                    return false
                }
                guard clientStayed else {
                    outcome.status = 499
                    outcome.failure = "client disconnected"
                    onFinish(outcome)
                    throw CancellationError()
                }
                // The client has its last byte before the record is finished (and its bodies compressed).
                defer { onFinish(outcome) }
                try await writer.finish(nil)
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

    /// Until cancelled: asks for a keepalive whenever `seconds` passed without a write.
    private static func keepAlive(every seconds: Int, lastWrite: LastWrite, signals: AsyncChannel<StreamSignal>) async {
        let interval = Int64(seconds) * 1_000_000_000
        while !Task.isCancelled {
            let due = interval - lastWrite.idleNanoseconds
            if due > 0 {
                do { try await Task.sleep(for: .nanoseconds(due)) } catch { return }
                continue
            }
            lastWrite.now()
            await signals.send(.keepalive)
        }
    }
}

/// When the stream last wrote to its client, shared by the writer and the watcher.
private final class LastWrite: Sendable {
    private let clock = ContinuousClock()
    private let start: ContinuousClock.Instant
    private let nanoseconds = Atomic<Int64>(0)

    init() {
        start = clock.now
    }

    /// Notes a write now.
    func now() {
        nanoseconds.store(Self.nanoseconds(clock.now - start), ordering: .relaxed)
    }

    /// Nanoseconds since the last write.
    var idleNanoseconds: Int64 {
        Self.nanoseconds(clock.now - start) - nanoseconds.load(ordering: .relaxed)
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
