import Hummingbird
import NIOCore

/// The connection a request came on, watched for the client going away while its answer streams.
///
/// Hummingbird's `consumeWithCancellationOnInboundClose` notices a disconnect but closes the connection after every
/// response it wraps, so streamed answers lost HTTP keep-alive. Instead, `ClientEndCloser` closes a connection whose
/// client has ended its side and tells the requests on it (`ConnectionWatch`); a stream also notices a failed write.
package struct ClientConnection: Sendable {
    /// The connection's watch, when the request came over a socket with a `ClientEndCloser`.
    let watch: ConnectionWatch?

    /// Whether the connection can still carry the answer.
    var isOpen: Bool { !(watch?.isClosed ?? false) }

    /// Calls `listener` once if the client goes while `body` runs.
    func whileWatching<Value>(
        onClose listener: @escaping @Sendable () -> Void,
        _ body: () async throws -> Value
    ) async throws -> Value {
        guard let watch else { return try await body() }
        guard let id = watch.onClose(listener) else {
            listener()
            return try await body()
        }
        defer { watch.remove(id) }
        return try await body()
    }

    /// Runs `operation`, cancelling it when the client's connection closes first (then `CancellationError` is
    /// thrown): the upstream call of a client that left is not left running.
    func cancellingOnClose<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        guard watch != nil else { return try await operation() }
        let task = Task { try await operation() }
        let wait: () async throws -> Value = {
            try await withTaskCancellationHandler {
                try await task.value
            } onCancel: {
                task.cancel()
            }
        }
        return try await whileWatching(onClose: { task.cancel() }, wait)
    }

    /// The connection of a request, for contexts that know their channel.
    static func of<Context: RequestContext>(_ context: Context) -> ClientConnection {
        ClientConnection(watch: (context as? any ChannelRequestContext).flatMap { ConnectionWatch.of($0.channel) })
    }
}

/// A request context that knows the channel its request came on.
package protocol ChannelRequestContext: RequestContext {
    /// The request's channel.
    var channel: any Channel { get }
}

/// Closes a connection when the client ends its side of it.
///
/// Hummingbird allows half-closed connections, so a client that goes away mid-stream would stay invisible until the
/// next write, which on a silent upstream can be minutes away. HTTP clients do not half-close while they wait for an
/// answer (curl, the SDKs, browsers), so the end of input means the client is gone.
package final class ClientEndCloser: ChannelInboundHandler, RemovableChannelHandler {
    /// Passed through unchanged.
    package typealias InboundIn = NIOAny

    /// Creates the handler.
    package init() {}

    /// Starts the connection's watch.
    package func handlerAdded(context: ChannelHandlerContext) {
        ConnectionWatch.begin(context.channel)
    }

    /// Ends the watch when the handler goes.
    package func handlerRemoved(context: ChannelHandlerContext) {
        ConnectionWatch.end(context.channel)
    }

    /// The connection is gone: its requests are told.
    package func channelInactive(context: ChannelHandlerContext) {
        ConnectionWatch.end(context.channel)
        context.fireChannelInactive()
    }

    /// Closes the channel on `inputClosed` (its requests are told at once), then passes the event on.
    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            ConnectionWatch.end(context.channel)
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
