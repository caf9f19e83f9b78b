import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A request ready for the wire.
struct PreparedRequest: Sendable {
    /// The URL, for errors.
    let url: String
    /// Where it goes.
    let origin: UpstreamOrigin
    /// The request line and headers (with `Host` and `Content-Length`).
    let head: HTTPRequestHead
    /// The body.
    let body: ByteBuffer
    /// How long to wait for the answer's head.
    let headTimeout: Duration
    /// How long the body may be silent before its reader gets an empty buffer (`nil`: never).
    let idleTick: Duration?
}

/// The keep-alive connections of one event loop, by origin; used only on that loop, so a request, its upstream
/// exchange and its answer stay on one thread. Idle connections are reused newest first and closed after
/// `idleTimeout` unused.
final class LoopConnectionPool {
    /// The loop every connection of the pool lives on.
    let loop: any EventLoop
    private let settings: PooledHTTPClient.Settings
    private let tls: TLSContextSource
    private var idle: [UpstreamOrigin: [UpstreamConnectionHandler]] = [:]
    private var sweepScheduled = false

    /// An empty pool on `loop`.
    init(loop: any EventLoop, settings: PooledHTTPClient.Settings, tls: TLSContextSource) {
        self.loop = loop
        self.settings = settings
        self.tls = tls
    }

    /// Sends `request` on an idle connection, or a new one; the answer's head completes the future.
    ///
    /// A reused connection that the upstream closed while it was idle fails before any answer: the request is then
    /// sent once more, on a new connection.
    func start(_ request: PreparedRequest, cancellation: ExchangeCancellation) -> EventLoopFuture<PooledHTTPAnswer> {
        guard let connection = takeIdle(request.origin) else { return startFresh(request, cancellation: cancellation) }
        let promise = loop.makePromise(of: PooledHTTPAnswer.self)
        send(request, on: connection, cancellation: cancellation, promise: promise)
        // Only a connection from the pool is sent again: a new one that fails has told the truth about the upstream.
        return promise.futureResult.assumeIsolated().flatMapError { [self] error in
            guard connection.closedBeforeAnswer, !cancellation.isCancelled else {
                return loop.makeFailedFuture(error)
            }
            return startFresh(request, cancellation: cancellation)
        }.nonisolated()
    }

    /// Puts a connection whose exchange ended cleanly back.
    func checkIn(_ connection: UpstreamConnectionHandler) {
        connection.idleSince = .now()
        idle[connection.origin, default: []].append(connection)
        if !sweepScheduled {
            sweepScheduled = true
            scheduleSweep(at: connection.idleSince + settings.idleTimeout)
        }
    }

    /// Forgets an idle connection that closed.
    func remove(_ connection: UpstreamConnectionHandler) {
        idle[connection.origin]?.removeAll { $0 === connection }
    }

    /// Closes every idle connection.
    func closeAll() {
        let all = idle.values.joined()
        idle = [:]
        for connection in all { connection.closeIdle() }
    }

    private func takeIdle(_ origin: UpstreamOrigin) -> UpstreamConnectionHandler? {
        while let connection = idle[origin]?.popLast() {
            if connection.isIdle { return connection }
        }
        return nil
    }

    private func startFresh(_ request: PreparedRequest, cancellation: ExchangeCancellation) -> EventLoopFuture<PooledHTTPAnswer> {
        connect(request).assumeIsolated().flatMap { [self] connection in
            let promise = loop.makePromise(of: PooledHTTPAnswer.self)
            send(request, on: connection, cancellation: cancellation, promise: promise)
            return promise.futureResult
        }.nonisolated()
    }

    private func send(
        _ request: PreparedRequest,
        on connection: UpstreamConnectionHandler,
        cancellation: ExchangeCancellation,
        promise: EventLoopPromise<PooledHTTPAnswer>
    ) {
        connection.send(
            request.head,
            body: request.body,
            url: request.url,
            headTimeout: request.headTimeout,
            idleTick: request.idleTick,
            cancellation: cancellation,
            promise: promise
        )
    }

    /// Opens a connection to the request's origin (TLS for `https`); a failure is `UpstreamError.unreachable`.
    private func connect(_ request: PreparedRequest) -> EventLoopFuture<UpstreamConnectionHandler> {
        let origin = request.origin
        var sslContext: NIOSSLContext?
        if origin.tls {
            do {
                sslContext = try tls.context()
            } catch {
                return loop.makeFailedFuture(UpstreamError.network(url: request.url, reason: "TLS: \(error)"))
            }
        }
        let connection = NIOLoopBound(
            UpstreamConnectionHandler(origin: origin, readTimeout: settings.readTimeout, pool: self),
            eventLoop: loop
        )
        let serverName = origin.hostIsAddress ? nil : origin.host
        return ClientBootstrap(group: loop)
            .connectTimeout(settings.connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [sslContext] channel in
                channel.eventLoop.makeCompletedFuture {
                    let pipeline = channel.pipeline.syncOperations
                    if let sslContext {
                        try pipeline.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: serverName))
                    }
                    try pipeline.addHTTPClientHandlers()
                    try pipeline.addHandler(connection.value)
                }
            }
            .connect(host: origin.host, port: origin.port)
            .map { _ in connection.value }
            .flatMapErrorThrowing { error in
                throw UpstreamError.unreachable(url: request.url, reason: UpstreamHTTP.reason(error))
            }
    }

    private func scheduleSweep(at moment: NIODeadline) {
        loop.assumeIsolated().scheduleTask(deadline: moment) { [self] in sweep() }
    }

    /// Closes the connections idle for `idleTimeout`, and looks again when the next one will be.
    private func sweep() {
        let now = NIODeadline.now()
        var next: NIODeadline?
        for connection in idle.values.joined() {
            let expiry = connection.idleSince + settings.idleTimeout
            if expiry <= now {
                connection.closeIdle()
            } else {
                next = min(next ?? expiry, expiry)
            }
        }
        idle = idle.compactMapValues { connections in
            let open = connections.filter(\.isIdle)
            return open.isEmpty ? nil : open
        }
        if let next {
            scheduleSweep(at: next)
        } else {
            sweepScheduled = false
        }
    }
}
