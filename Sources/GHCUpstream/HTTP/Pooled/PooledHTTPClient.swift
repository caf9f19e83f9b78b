import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// The HTTP/1.1 client of streamed Copilot calls, with a keep-alive pool per event loop: a call made on one of the
/// group's loops uses that loop's connections, so the request, its upstream exchange and its answer never change
/// threads, and each request leaves in one write.
///
/// It speaks TLS for `https`, follows no redirects (a 3xx answer is returned as it is), asks for no compression, and
/// retries nothing itself but one case: a request whose reused connection turns out to have been closed by the
/// upstream while it was idle is sent again on a new connection. Connection failures are
/// `UpstreamError.unreachable`, so the caller knows nothing was sent.
package final class PooledHTTPClient: Sendable {
    /// How connections are made and kept.
    package struct Settings: Sendable {
        /// The longest wait for a connection.
        package var connectTimeout: TimeAmount
        /// The longest silence of the upstream while an answer's body streams.
        package var readTimeout: Duration
        /// How long an unused connection is kept.
        package var idleTimeout: TimeAmount
        /// The TLS settings of `https` connections.
        package var tls: TLSConfiguration

        /// Settings with the system's trust roots and HTTP/1.1 offered in ALPN.
        package init(connectTimeout: Duration, readTimeout: Duration, idleTimeout: Duration = .seconds(90), tls: TLSConfiguration? = nil) {
            self.connectTimeout = TimeAmount(connectTimeout)
            self.readTimeout = readTimeout
            self.idleTimeout = TimeAmount(idleTimeout)
            self.tls = tls ?? Self.systemTLS
        }

        /// The system's trust roots; HTTP/1.1 is the only protocol offered.
        private static var systemTLS: TLSConfiguration {
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.applicationProtocols = ["http/1.1"]
            return tls
        }
    }

    private let group: MultiThreadedEventLoopGroup
    private let pools: [ObjectIdentifier: NIOLoopBoundBox<LoopConnectionPool>]

    /// A client with an empty pool on each loop of `group`.
    package init(group: MultiThreadedEventLoopGroup = .singleton, settings: Settings) {
        let tls = TLSContextSource(configuration: settings.tls)
        var pools: [ObjectIdentifier: NIOLoopBoundBox<LoopConnectionPool>] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = .makeBoxSendingValue(
                LoopConnectionPool(loop: loop, settings: settings, tls: tls),
                eventLoop: loop
            )
        }
        self.group = group
        self.pools = pools
    }

    /// Sends a request and returns once the answer's head has arrived (within `headTimeout`); the body streams from
    /// the answer, and gives an empty buffer whenever it has been silent for `idleTick`. A cancelled task gives up the
    /// exchange and closes its connection.
    package func execute(
        method: HTTPMethod = .POST,
        url: String,
        headers: consuming HTTPHeaders,
        body: ByteBuffer,
        headTimeout: Duration,
        idleTick: Duration? = nil
    ) async throws(UpstreamError) -> PooledHTTPAnswer {
        guard let target = UpstreamTarget(url) else {
            throw .network(url: url, reason: "not an absolute http or https URL")
        }
        // Taken, not copied: the first change to a shared header list copied all of it.
        var fields = consume headers
        fields.replaceOrAdd(name: "Host", value: target.origin.hostHeader)
        fields.replaceOrAdd(name: "Content-Length", value: String(body.readableBytes))
        let request = PreparedRequest(
            url: url,
            origin: target.origin,
            head: HTTPRequestHead(version: .http1_1, method: method, uri: target.path, headers: fields),
            body: body,
            headTimeout: headTimeout,
            idleTick: idleTick
        )
        let pool = currentPool
        let cancellation = ExchangeCancellation()
        do {
            return try await withTaskCancellationHandler {
                try await Self.start(request, in: pool, cancellation: cancellation).get()
            } onCancel: {
                cancellation.cancel()
            }
        } catch {
            throw .from(error, url: url)
        }
    }

    /// Closes every idle connection (calls under way keep theirs until they end).
    package func shutdown() async {
        for pool in pools.values {
            try? await pool.eventLoop.submit { pool.value.closeAll() }.get()
        }
    }

    /// The pool of the loop this code runs on, else one of the group's.
    private var currentPool: NIOLoopBoundBox<LoopConnectionPool> {
        if let loop = MultiThreadedEventLoopGroup.currentEventLoop, let pool = pools[ObjectIdentifier(loop)] { return pool }
        let loop = group.next()
        // Every loop of the group has a pool, made in `init`.
        return pools[ObjectIdentifier(loop)] ?? pools.values[pools.values.startIndex]
    }

    private static func start(
        _ request: PreparedRequest,
        in pool: NIOLoopBoundBox<LoopConnectionPool>,
        cancellation: ExchangeCancellation
    ) -> EventLoopFuture<PooledHTTPAnswer> {
        if pool.eventLoop.inEventLoop { return pool.value.start(request, cancellation: cancellation) }
        return pool.eventLoop.flatSubmit { pool.value.start(request, cancellation: cancellation) }
    }
}
