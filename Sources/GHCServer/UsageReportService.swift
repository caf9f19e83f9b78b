import GHCCore
import GHCUsage
import ServiceLifecycle

/// Writes token usage every `usage_report_interval` seconds and once more on shutdown, after the server has stopped
/// (so the last requests are in it).
struct UsageReportService: Service {
    /// The reporter.
    let reporter: UsageReporter
    /// The live configuration, for the interval.
    let config: LiveConfig

    /// Reports until graceful shutdown, then flushes.
    func run() async throws {
        await cancelWhenGracefulShutdown {
            while (try? await Task.sleep(for: .seconds(config.current.usageReportInterval))) != nil { reporter.flush() }
        }
        reporter.flush()
    }
}
