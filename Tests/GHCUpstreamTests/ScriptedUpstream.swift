import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// A request as the scripted upstream saw it.
struct ScriptedRequest: Sendable {
    /// The request line's target.
    let uri: String
    /// The headers.
    let headers: HTTPHeaders
    /// The body.
    let body: String
    /// Which connection it came on (1 for the first accepted).
    let connection: Int
    /// Its place on that connection (1 for the first).
    let number: Int
}

/// What the scripted upstream does with a request.
enum ScriptedReply: Sendable {
    /// Answers with `status`, `headers` and the body in `parts` (chunked unless `headers` has a length).
    case answer(HTTPResponseStatus, headers: [(String, String)] = [], parts: [String] = [])
    /// Sends the head of a chunked answer, then nothing.
    case headThenSilence
    /// Sends the head and `parts` of a chunked answer at once, and its end `after` later.
    case lateEnd(parts: [String], after: TimeAmount)
    /// Sends nothing.
    case silence
    /// Closes the connection without answering.
    case close
}

/// An HTTP/1.1 upstream over a real socket, scripted per request, that counts the connections it accepts and closes.
final class ScriptedUpstream: Sendable {
    private struct Counts {
        var accepted = 0
        var closed = 0
        var requests: [ScriptedRequest] = []
    }

    /// What was seen, shared with the connections' handlers.
    private final class Log: Sendable {
        let counts = Mutex(Counts())
    }

    private let log = Log()
    private let channel: any Channel
    /// The port it listens on (on 127.0.0.1).
    let port: Int

    /// Starts listening; `reply` decides each answer. With `tls`, it speaks TLS with the test certificate.
    init(tls: NIOSSLContext? = nil, reply: @escaping @Sendable (ScriptedRequest) -> ScriptedReply) async throws {
        let log = log
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                let number = log.counts.withLock { counts in
                    counts.accepted += 1
                    return counts.accepted
                }
                channel.closeFuture.whenComplete { _ in log.counts.withLock { $0.closed += 1 } }
                return channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        ScriptedHandler(connection: number, reply: reply) { request in log.counts.withLock { $0.requests.append(request) } }
                    )
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        port = channel.localAddress?.port ?? 0
    }

    /// The connections accepted so far.
    var accepted: Int { log.counts.withLock { $0.accepted } }
    /// The connections closed so far.
    var closed: Int { log.counts.withLock { $0.closed } }
    /// The requests seen so far.
    var requests: [ScriptedRequest] { log.counts.withLock { $0.requests } }

    /// Stops listening.
    func stop() async {
        try? await channel.close()
    }
}

/// Reads one request at a time and does what the script says.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let connection: Int
    private let reply: @Sendable (ScriptedRequest) -> ScriptedReply
    private let seen: (ScriptedRequest) -> Void
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var number = 0

    init(connection: Int, reply: @escaping @Sendable (ScriptedRequest) -> ScriptedReply, seen: @escaping (ScriptedRequest) -> Void) {
        self.connection = connection
        self.reply = reply
        self.seen = seen
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
        case .body(var bytes):
            body.writeBuffer(&bytes)
        case .end:
            guard let head else { return }
            number += 1
            let request = ScriptedRequest(
                uri: head.uri,
                headers: head.headers,
                body: String(buffer: body),
                connection: connection,
                number: number
            )
            seen(request)
            act(reply(request), context: context)
        }
    }

    private func act(_ reply: ScriptedReply, context: ChannelHandlerContext) {
        switch reply {
        case .answer(let status, let headers, let parts):
            var fields = HTTPHeaders(headers)
            if !fields.contains(name: "content-length") { fields.add(name: "transfer-encoding", value: "chunked") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: fields))), promise: nil)
            for part in parts { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: part)))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .headThenSilence:
            let fields = HTTPHeaders([("transfer-encoding", "chunked")])
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields))), promise: nil)
        case .lateEnd(let parts, let delay):
            let fields = HTTPHeaders([("transfer-encoding", "chunked")])
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: fields))), promise: nil)
            for part in parts { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: part)))), promise: nil) }
            context.flush()
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: delay) {
                let (handler, context) = bound.value
                context.writeAndFlush(handler.wrapOutboundOut(.end(nil)), promise: nil)
            }
        case .silence:
            break
        case .close:
            context.close(promise: nil)
        }
    }
}
