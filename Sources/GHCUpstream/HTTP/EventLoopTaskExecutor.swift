import NIOCore

/// Runs Swift Concurrency jobs on one NIO event loop.
///
/// Given as the task executor preference of a connection's handling, it keeps the whole of a request on the thread
/// that owns its socket: the route, the upstream call (`PooledHTTPClient` uses the pool of the current event loop) and
/// the writes of the answer. Without it each await could resume on another thread, and every read and write of the
/// client's socket became a hand-over between two threads.
package final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the jobs run on.
    package let eventLoop: any EventLoop

    /// An executor for `eventLoop`.
    package init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// Runs `job` on the loop (without a wake-up when called on the loop itself).
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
