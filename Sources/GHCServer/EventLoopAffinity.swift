import GHCProxy
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Runs Swift Concurrency jobs on one NIO event loop.
///
/// Given as the task executor preference of a connection's handling, it keeps the whole of a request on the thread
/// that owns its socket: the route, the upstream call (AsyncHTTPClient picks a pooled connection on the current event
/// loop) and the writes of the answer. Without it each await could resume on another thread, and every read and
/// write of the client's socket became a hand-over between two threads.
final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    let eventLoop: any EventLoop

    /// An executor for `eventLoop`.
    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `job` on the loop (without a wake-up when called on the loop itself).
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}

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
