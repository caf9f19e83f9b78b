import Hummingbird
import NIOCore

/// The connection a request came on, watched for the client going away while its answer streams.
///
/// Hummingbird's `consumeWithCancellationOnInboundClose` notices a disconnect but closes the connection after every
/// response it wraps, so streamed answers lost HTTP keep-alive. Instead, `ClientEndCloser` closes a connection whose
/// client has ended its side, and a stream checks `isOpen` while it runs (and notices a failed write at once).
package struct ClientConnection: Sendable {
    /// The channel, when the request came over a socket.
    let channel: (any Channel)?

    /// Whether the connection can still carry the answer.
    var isOpen: Bool { channel?.isActive ?? true }

    /// Runs `operation`, cancelling it when the client's connection closes first (then `CancellationError` is
    /// thrown): the upstream call of a client that left is not left running.
    func cancellingOnClose<Value: Sendable>(_ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        guard channel != nil else { return try await operation() }
        return try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                while isOpen { try await Task.sleep(for: EventStreamResponse.watchPeriod) }
                return nil
            }
            defer { group.cancelAll() }
            guard case .some(.some(let value)) = try await group.next() else { throw CancellationError() }
            return value
        }
    }

    /// The connection of a request, for contexts that know their channel. A channel that is not active while its
    /// request is handled (an in-memory test channel) is not watched.
    static func of<Context: RequestContext>(_ context: Context) -> ClientConnection {
        let channel = (context as? any ChannelRequestContext)?.channel
        return ClientConnection(channel: channel?.isActive == true ? channel : nil)
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

    /// Closes the channel on `inputClosed`, then passes the event on.
    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed {
            context.close(promise: nil)
        }
        context.fireUserInboundEventTriggered(event)
    }
}
