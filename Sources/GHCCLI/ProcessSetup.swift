import CConcurrencyHook
import NIOCore
import NIOPosix

extension GHCCLI {
    /// Prepares the process for the command in `arguments`; call it first, on the main thread, before any task runs.
    ///
    /// The long-running servers (`serve`, `stand-in`) run Swift Concurrency's jobs on NIO's event loops instead of the
    /// global executor's own threads: a request then stays on the thread that read it, instead of being handed
    /// between the two pools at every await (each hand-over a thread wake-up and a context switch).
    /// When another hook was installed first, the jobs stay on the global executor and a warning says so.
    package static func prepareProcess(for arguments: [String]) {
        guard let command = arguments.first, ["serve", "stand-in"].contains(command) else { return }
        if !installEventLoopsAsGlobalExecutor() {
            FileDescriptorOutput(descriptor: 2).line(
                "ghc-api: warning: another Swift Concurrency executor hook is installed; requests will hop between threads"
            )
        }
    }

    /// The signature of the Swift runtime's global-enqueue hook: the job, and the runtime's own enqueue function.
    private typealias EnqueueGlobalHook = @convention(thin) (UnownedJob, @convention(thin) (UnownedJob) -> Void) -> Void

    /// Sends every job of Swift Concurrency's global executor to NIO's singleton event loops.
    ///
    /// This is what `NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()` does,
    /// except that the runtime's hook is found by the linker: NIO looks it up with `dlsym`, which finds nothing in a
    /// build with the Swift standard library linked statically (`make install`), and the jobs then silently stay on
    /// the global executor's threads.
    private static func installEventLoopsAsGlobalExecutor() -> Bool {
        let hook: EnqueueGlobalHook = { job, _ in
            // `any()` is sticky: on one of the group's loops it returns that loop, so the job stays on this thread.
            MultiThreadedEventLoopGroup.singleton.any().executor.enqueue(ExecutorJob(job))
        }
        return withUnsafePointer(to: hook) { hookPointer in
            // A thin function value is exactly one code pointer, the value the runtime's hook variable holds.
            hookPointer.withMemoryRebound(to: UnsafeRawPointer.self, capacity: 1) { codePointer in
                ghc_install_concurrency_enqueue_global_hook(codePointer.pointee)
            }
        }
    }
}
