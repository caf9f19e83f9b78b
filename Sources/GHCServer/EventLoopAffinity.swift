import GHCProxy
import GHCUpstream
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// A server child channel whose connections are handled on their own event loop (`EventLoopTaskExecutor`).
struct EventLoopAffineChannel<Base: ServerChildChannel>: ServerChildChannel {
    /// The channel that does the work.
    let base: Base

    /// Sets the connection up as `base` does.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        base.setup(channel: channel, logger: logger)
    }

    /// Handles the connection as `base` does, preferring the connection's event loop for every job; the handling is
    /// cancelled when the client goes.
    func handle(value: Base.Value, logger: Logger) async {
        let base = base
        await ClientConnection.handle(value.channel, preferring: EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}
