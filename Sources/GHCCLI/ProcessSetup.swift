import NIOCore
import NIOPosix

extension GHCCLI {
    /// Prepares the process for the command in `arguments`; call it first, on the main thread, before any task runs.
    ///
    /// The long-running servers (`serve`, `stand-in`) run Swift Concurrency's jobs on NIO's event loops instead of the
    /// global executor's own threads: a request then stays on the thread that read it, instead of being handed
    /// between the two pools at every await (each hand-over a thread wake-up and a context switch).
    package static func prepareProcess(for arguments: [String]) {
        guard let command = arguments.first, ["serve", "stand-in"].contains(command) else { return }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
