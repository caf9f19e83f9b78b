import Hummingbird
import Logging
import NIOCore

/// The handling of a client's connection, cancelled when the client goes away.
///
/// Hummingbird's `consumeWithCancellationOnInboundClose` notices a disconnect but closes the connection after every
/// response it wraps, so streamed answers lost HTTP keep-alive. Instead, `ClientEndCloser` closes a connection whose
/// client has ended its side and tells its watch (`ConnectionWatch`), which cancels the connection's handling
/// (`handle(_:preferring:_:)`); a stream also notices a failed write.
package enum ClientConnection {
    /// Runs the handling of the connection on `channel` (every request it carries) in a task that is cancelled when
    /// the client goes: the upstream call, the relay and the writes of a client that left stop at once (the record
    /// says `499`). One task per connection, not per request; a channel without a `ClientEndCloser` is handled as is.
    package static func handle(
        _ channel: any Channel,
        preferring executor: any TaskExecutor,
        _ handling: @escaping @Sendable () async -> Void
    ) async {
        guard let watch = ConnectionWatch.of(channel) else {
            return await withTaskExecutorPreference(executor) { await handling() }
        }
        let task = Task(executorPreference: executor) { await handling() }
        guard let id = watch.onClose({ task.cancel() }) else {
            task.cancel()
            return await task.value
        }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        watch.remove(id)
    }
}

/// Closes a connection when the client ends its side of it.
///
/// Hummingbird allows half-closed connections, so a client that goes away mid-stream would stay invisible until the
/// next write, which on a silent upstream can be minutes away. HTTP clients do not half-close while they wait for an
/// answer (curl, the SDKs, browsers), so the end of input means the client is gone.
///
/// It also closes a connection whose client stopped reading: when what was written to it stays unread (the socket's
/// buffers full, and nothing of what waits taken) for `unreadLimit`, the answer is abandoned, so a client that hangs
/// mid-stream does not hold its upstream connection (and the stream's memory) forever. A client that reads, however
/// slowly, starts the count again.
package final class ClientEndCloser: ChannelInboundHandler, RemovableChannelHandler {
    /// Passed through unchanged.
    package typealias InboundIn = NIOAny

    /// How long answers may stay unread before the connection is closed, unless a server says otherwise.
    package static let defaultUnreadLimit = TimeAmount.seconds(60)

    private let unreadLimit: TimeAmount
    private let logger: Logger
    private var unreadTimer: Scheduled<Void>?

    /// Creates the handler; `logger` says when a client that stopped reading is let go.
    package init(unreadLimit: TimeAmount = ClientEndCloser.defaultUnreadLimit, logger: Logger = Logger(label: "ghc-api")) {
        self.unreadLimit = unreadLimit
        self.logger = logger
    }

    /// Starts the connection's watch.
    package func handlerAdded(context: ChannelHandlerContext) {
        ConnectionWatch.begin(context.channel)
    }

    /// Ends the watch when the handler goes.
    package func handlerRemoved(context: ChannelHandlerContext) {
        stopUnreadTimer()
        ConnectionWatch.end(context.channel)
    }

    /// The connection is gone: its requests are told.
    package func channelInactive(context: ChannelHandlerContext) {
        stopUnreadTimer()
        ConnectionWatch.end(context.channel)
        context.fireChannelInactive()
    }

    /// Counts how long the client leaves what was written unread, from when the buffers fill until they drain.
    package func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stopUnreadTimer()
        } else if unreadTimer == nil {
            armUnreadTimer(context: context, buffered: Self.buffered(context))
        }
        context.fireChannelWritabilityChanged()
    }

    /// Closes the connection after `unreadLimit` unless the client read some of what waits for it meanwhile (a slow
    /// download is not a hung client): then the count starts again.
    private func armUnreadTimer(context: ChannelHandlerContext, buffered: Int?) {
        let limit = unreadLimit
        unreadTimer = context.eventLoop.assumeIsolated().scheduleTask(in: limit) { [self] in
            unreadTimer = nil
            let now = Self.buffered(context)
            if let buffered, let now, now < buffered {
                armUnreadTimer(context: context, buffered: now)
                return
            }
            let peer = context.channel.remoteAddress.flatMap { address in address.ipAddress.map { " (\($0):\(address.port ?? 0))" } } ?? ""
            logger.warning("closing a client connection\(peer) whose answer stayed unread for \(limit.nanoseconds / 1_000_000_000) s")
            ConnectionWatch.end(context.channel)
            context.close(promise: nil)
        }
    }

    private func stopUnreadTimer() {
        unreadTimer?.cancel()
        unreadTimer = nil
    }

    /// The bytes written to the channel that wait to be sent, when the channel says.
    private static func buffered(_ context: ChannelHandlerContext) -> Int? {
        try? context.channel.syncOptions?.getOption(ChannelOptions.bufferedWritableBytes)
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
