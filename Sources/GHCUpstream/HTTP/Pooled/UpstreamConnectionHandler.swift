import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One keep-alive connection to an upstream, carrying one exchange at a time.
///
/// It sends a request's head, body and end in one flush, hands the answer's head to the caller, and streams the body
/// with read-side back-pressure. A silence longer than the allowed wait (for the head, then between body parts) ends
/// the exchange with `UpstreamError.timeout`; one timer per connection, moved lazily, watches both. A connection whose
/// answer ended cleanly goes back to its pool; any other ending closes it. A reader that stops before the end (a
/// relay that saw the stream's last event while the answer's final chunk is still on its way) leaves the connection
/// reading on briefly: if the answer ends within `drainWait` and `drainLimit` bytes, the connection is kept. An
/// exchange may ask for idle ticks: while its body is silent, an empty buffer every so often tells the reader the
/// upstream is still there but quiet (a relay sends its client a keepalive then).
final class UpstreamConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    /// The answer's parts.
    typealias InboundIn = HTTPClientResponsePart
    /// Nothing is written through the pipeline from above.
    typealias OutboundIn = Never
    /// The request's parts.
    typealias OutboundOut = HTTPClientRequestPart

    /// The exchange under way.
    private struct Exchange {
        /// The URL, for errors.
        let url: String
        /// Its number on this connection.
        let number: UInt64
        /// The wait for the head, as errors tell it.
        let headWait: String
        /// How long a body may be silent before the reader gets an empty buffer; `nil` for never.
        let idleTick: TimeAmount?
    }

    private enum Phase {
        case idle
        case awaitingHead(Exchange, EventLoopPromise<PooledHTTPAnswer>)
        case streaming(Exchange, PooledHTTPAnswer.Body.Producer.Source)
        /// The reader stopped; the rest of the answer is read and dropped, to keep the connection.
        case draining(remaining: Int)
        case closed
    }

    /// How long a connection whose reader stopped waits for the rest of the answer.
    static let drainWait = TimeAmount.milliseconds(100)
    /// How many more bytes it reads for it.
    static let drainLimit = 64 << 10

    /// The origin the connection goes to.
    let origin: UpstreamOrigin
    /// When the connection last went idle, for the pool's sweep.
    var idleSince = NIODeadline.now()
    /// Whether the current exchange failed before any answer arrived, on a connection that the upstream closed or
    /// reset (not one that sent something unreadable).
    private(set) var closedBeforeAnswer = false

    private let readTimeout: TimeAmount
    private let readWait: String
    private weak var pool: LoopConnectionPool?
    private var context: ChannelHandlerContext?
    private var phase = Phase.idle
    private var exchanges: UInt64 = 0
    private var keepAlive = true
    /// Set on a TLS connection until its handshake is done: a failure before then means nothing was sent.
    private var handshaking: Bool
    private var readingPaused = false
    private var readHeld = false
    private var deadline: NIODeadline?
    private var nextTick: NIODeadline?
    private var timer: (task: Scheduled<Void>, at: NIODeadline)?

    /// A connection to `origin` that waits at most `readTimeout` between body parts and returns to `pool`.
    init(origin: UpstreamOrigin, readTimeout: Duration, pool: LoopConnectionPool) {
        self.origin = origin
        self.readTimeout = TimeAmount(readTimeout)
        self.readWait = "\(readTimeout)"
        self.pool = pool
        self.handshaking = origin.tls
    }

    /// Whether the connection can carry a new exchange.
    var isIdle: Bool {
        guard case .idle = phase, let context else { return false }
        return context.channel.isActive
    }

    /// Keeps the context.
    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// Forgets the context.
    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Sends a request (in one flush); `promise` gets the answer once its head arrives, or the failure.
    func send(
        _ head: HTTPRequestHead,
        body: ByteBuffer,
        url: String,
        headTimeout: Duration,
        idleTick: Duration?,
        cancellation: ExchangeCancellation,
        promise: EventLoopPromise<PooledHTTPAnswer>
    ) {
        guard isIdle, let context else {
            closedBeforeAnswer = true
            promise.fail(UpstreamError.unreachable(url: url, reason: "the connection closed before the request was sent"))
            return
        }
        exchanges &+= 1
        closedBeforeAnswer = false
        let exchange = Exchange(url: url, number: exchanges, headWait: "\(headTimeout)", idleTick: idleTick.map(TimeAmount.init))
        phase = .awaitingHead(exchange, promise)
        let connection = NIOLoopBound(self, eventLoop: context.eventLoop)
        let number = exchanges
        guard cancellation.onCancel({ connection.eventLoop.execute { connection.value.cancel(exchange: number) } }) else {
            return cancel(exchange: number)
        }
        deadline = .now() + TimeAmount(headTimeout)
        armTimer(context: context)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if body.readableBytes > 0 { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Hands the answer over as its parts arrive.
    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .draining(let remaining) = phase { return drain(unwrapInboundIn(data), remaining: remaining, context: context) }
        switch unwrapInboundIn(data) {
        case .head(let head): received(head, context: context)
        case .body(let bytes): received(bytes, context: context)
        case .end: receivedEnd(context: context)
        }
    }

    /// The TLS handshake is done: from now on a failure may come after the request was sent.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { handshaking = false }
        context.fireUserInboundEventTriggered(event)
    }

    /// Holds reads while the body's reader is behind.
    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readHeld = true
        } else {
            context.read()
        }
    }

    /// A broken connection ends its exchange; one that was reset, or whose TLS handshake broke off, counts as closed
    /// (see `closedBeforeAnswer`).
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(with: { UpstreamError.network(url: $0, reason: UpstreamHTTP.reason(error)) }, context: context, broken: isClosure(error))
    }

    /// Whether `error` means the connection was closed or reset under it: a reset, or a TLS handshake the peer ended
    /// by closing (a certificate the handshake refused, or any other failed handshake, is not: sending again would
    /// meet the same refusal).
    private func isClosure(_ error: any Error) -> Bool {
        if let error = error as? IOError { return [ECONNRESET, EPIPE].contains(error.errnoCode) }
        guard handshaking, let error = error as? NIOSSLError else { return false }
        switch error {
        case .uncleanShutdown, .handshakeFailed(.zeroReturn): return true
        case .handshakeFailed(.sslError(let stack)): return stack.contains(.eofDuringHandshake)
        default: return false
        }
    }

    /// A closed connection ends its exchange, or leaves the pool.
    func channelInactive(context: ChannelHandlerContext) {
        end(
            with: { UpstreamError.network(url: $0, reason: "the connection closed before the answer ended") },
            context: context,
            broken: true
        )
        timer?.task.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    /// The reader of the body wants more: reading resumes.
    func resumeReading(exchange number: UInt64) {
        guard number == exchanges, readingPaused, let context else { return }
        readingPaused = false
        if case .streaming(let exchange, _) = phase, let tick = exchange.idleTick {
            nextTick = .now() + tick
            armTimer(context: context)
        }
        releaseHeldRead(context: context)
    }

    /// The reader of the body stopped before its end: the connection reads on for a moment, and is kept if the
    /// answer ends by then.
    func bodyAbandoned(exchange number: UInt64) {
        guard number == exchanges, case .streaming(_, let source) = phase, let context else { return }
        phase = .draining(remaining: Self.drainLimit)
        source.finish()
        nextTick = nil
        deadline = .now() + Self.drainWait
        armTimer(context: context)
        readingPaused = false
        releaseHeldRead(context: context)
    }

    private func drain(_ part: HTTPClientResponsePart, remaining: Int, context: ChannelHandlerContext) {
        switch part {
        case .head:
            protocolViolation(context: context)
        case .body(let bytes):
            guard bytes.readableBytes <= remaining else { return end(with: { _ in .cancelled }, context: context) }
            phase = .draining(remaining: remaining - bytes.readableBytes)
        case .end:
            answerEnded(context: context)
        }
    }

    /// The caller went away before the head arrived: the exchange fails and the connection closes.
    func cancel(exchange number: UInt64) {
        guard number == exchanges, case .awaitingHead = phase, let context else { return }
        end(with: { _ in UpstreamError.cancelled }, context: context)
    }

    /// Closes an idle connection (the pool's sweep and shutdown).
    func closeIdle() {
        guard case .idle = phase else { return }
        phase = .closed
        context?.close(promise: nil)
    }

    private func received(_ head: HTTPResponseHead, context: ChannelHandlerContext) {
        guard case .awaitingHead(let exchange, let promise) = phase else { return protocolViolation(context: context) }
        keepAlive = head.isKeepAlive
        let demand = BodyDemand(connection: NIOLoopBound(self, eventLoop: context.eventLoop), exchange: exchange.number)
        let made = PooledHTTPAnswer.Body.Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8),
            finishOnDeinit: false,
            delegate: demand
        )
        phase = .streaming(exchange, made.source)
        let now = NIODeadline.now()
        deadline = now + readTimeout
        nextTick = exchange.idleTick.map { now + $0 }
        armTimer(context: context)
        promise.succeed(PooledHTTPAnswer(status: head.status, headers: head.headers, body: .init(made.sequence)))
    }

    private func received(_ bytes: ByteBuffer, context: ChannelHandlerContext) {
        guard case .streaming(let exchange, let source) = phase else { return protocolViolation(context: context) }
        let now = NIODeadline.now()
        deadline = now + readTimeout
        nextTick = exchange.idleTick.map { now + $0 }
        deliver(bytes, to: source, context: context)
    }

    private func deliver(_ bytes: ByteBuffer, to source: PooledHTTPAnswer.Body.Producer.Source, context: ChannelHandlerContext) {
        switch source.yield(bytes) {
        case .produceMore: break
        case .stopProducing: readingPaused = true
        case .dropped: end(with: { _ in UpstreamError.cancelled }, context: context)
        }
    }

    private func receivedEnd(context: ChannelHandlerContext) {
        guard case .streaming(_, let source) = phase else { return protocolViolation(context: context) }
        answerEnded(context: context)
        source.finish()
    }

    /// The answer ended: the connection goes back to its pool (reading again), or closes when the upstream said so.
    private func answerEnded(context: ChannelHandlerContext) {
        deadline = nil
        nextTick = nil
        readingPaused = false
        guard keepAlive else {
            phase = .closed
            return context.close(promise: nil)
        }
        phase = .idle
        pool?.checkIn(self)
        releaseHeldRead(context: context)
    }

    /// Issues the read held while the reader was behind, if there was one.
    private func releaseHeldRead(context: ChannelHandlerContext) {
        guard readHeld else { return }
        readHeld = false
        context.read()
    }

    /// Bytes that belong to no exchange: the connection cannot be trusted any more.
    private func protocolViolation(context: ChannelHandlerContext) {
        end(with: { UpstreamError.invalidResponse(url: $0, reason: "an answer part arrived out of order") }, context: context)
    }

    /// Ends the connection: the exchange under way fails with `error(url)`; an idle connection leaves the pool.
    /// `broken` tells a connection that closed or failed from one given up on (a timeout, a reader gone).
    private func end(with error: (String) -> UpstreamError, context: ChannelHandlerContext, broken: Bool = false) {
        let previous = phase
        phase = .closed
        deadline = nil
        nextTick = nil
        switch previous {
        case .idle:
            pool?.remove(self)
        case .awaitingHead(let exchange, let promise):
            closedBeforeAnswer = broken
            if handshaking && broken {
                // Closed or reset during the TLS handshake, which the request waited for: none of it was sent, so the
                // caller may send it again. (A refused certificate is not worth repeating: it stays a network error.)
                let reason = error(exchange.url).description
                promise.fail(UpstreamError.unreachable(url: exchange.url, reason: "TLS handshake failed (\(reason))"))
            } else {
                promise.fail(error(exchange.url))
            }
        case .streaming(let exchange, let source):
            source.finish(error(exchange.url))
        case .draining:
            break
        case .closed:
            return
        }
        context.close(promise: nil)
    }

    /// Makes sure the timer looks by the end of the current wait and by the next idle tick (a timer set for later is
    /// set again; one set for earlier finds the moved moments when it fires).
    private func armTimer(context: ChannelHandlerContext) {
        guard let wake = Self.earlier(deadline, nextTick) else { return }
        if let timer {
            guard timer.at > wake else { return }
            timer.task.cancel()
        }
        schedule(at: wake, context: context)
    }

    /// The earlier of two moments that may be unset (no array made: the timer is set on every read).
    private static func earlier(_ first: NIODeadline?, _ second: NIODeadline?) -> NIODeadline? {
        guard let first else { return second }
        guard let second else { return first }
        return min(first, second)
    }

    private func schedule(at moment: NIODeadline, context: ChannelHandlerContext) {
        let task = context.eventLoop.assumeIsolated().scheduleTask(deadline: moment) { [self] in timerFired() }
        timer = (task, moment)
    }

    /// The timer fired: an idle tick is due, or the wait timed out, or the moments moved later (the timer follows).
    private func timerFired() {
        timer = nil
        guard let context else { return }
        let now = NIODeadline.now()
        if readingPaused {
            // The reader is behind, not the upstream: the wait starts again once reading resumes.
            deadline = deadline.map { _ in now + readTimeout }
            nextTick = nil
            return armTimer(context: context)
        }
        if let tick = nextTick, tick <= now, case .streaming(let exchange, let source) = phase {
            nextTick = exchange.idleTick.map { now + $0 }
            deliver(ByteBuffer(), to: source, context: context)
        }
        if let deadline, deadline <= now {
            switch phase {
            case .awaitingHead(let exchange, _):
                return end(with: { UpstreamError.timeout(url: $0, after: exchange.headWait) }, context: context)
            case .streaming, .draining:
                return end(with: { [readWait] in UpstreamError.timeout(url: $0, after: readWait) }, context: context)
            case .idle, .closed:
                self.deadline = nil
            }
        }
        armTimer(context: context)
    }
}
