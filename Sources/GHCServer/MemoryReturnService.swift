import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Gives memory the allocator holds but no longer uses back to the system. glibc keeps what a burst of requests freed
/// (in per-thread arenas) for reuse; after 64 connections at full speed that was 60 MB more RSS for as long as the
/// process lived, and 1,000 Claude Code requests of 300 KB left 100 MB in the arenas. `malloc_trim` returns free pages
/// from every arena (in microseconds when there is little to return).
///
/// It trims twice a second while the server works, and backs off to once every `idleInterval` while it is idle (the
/// process used almost no CPU since the last look), so an idle server does not wake a laptop's CPU for nothing.
struct MemoryReturnService: Service {
    /// Time between two trims while the server works.
    var interval: Duration = .milliseconds(500)
    /// The longest time between two looks while the server is idle.
    var idleInterval: Duration = .seconds(8)

    /// CPU time below which the process counts as idle between two looks (a trim itself takes less).
    static let idleCPU = Duration.milliseconds(2)

    /// Trims until graceful shutdown, on the blocking pool (a trim of large arenas takes milliseconds, which an
    /// event loop must not spend).
    func run() async throws {
        await cancelWhenGracefulShutdown {
            // Without malloc_trim (not glibc) it idles until shutdown: a service that returns would stop the server.
            let trim = Self.mallocTrim
            var wait = interval
            var used = Self.processCPU()
            while (try? await Task.sleep(for: wait)) != nil {
                let now = Self.processCPU()
                let busy = now - used > Self.idleCPU
                used = now
                wait = busy ? interval : min(wait * 2, idleInterval)
                guard busy, let trim else { continue }
                _ = try? await NIOThreadPool.singleton.runIfActive { trim(0) }
                // The trim's own CPU is not work to trim after.
                used = Self.processCPU()
            }
        }
    }

    /// The CPU time the process has used.
    static func processCPU() -> Duration {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return .seconds(time.tv_sec) + .nanoseconds(time.tv_nsec)
    }

    /// glibc's `malloc_trim`, looked up at run time (Swift's Glibc module does not import `malloc.h`; other C
    /// libraries do not have it).
    private static var mallocTrim: (@convention(c) (Int) -> Int32)? {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }
}
