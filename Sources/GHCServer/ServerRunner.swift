import AsyncHTTPClient
import GHCProxy
import GHCStore
import GHCUpstream
import GHCUsage
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Runs a built application until SIGINT or SIGTERM: it then stops accepting connections, lets in-flight
/// requests and streams finish for up to `gracePeriod`, and shuts the upstream client down.
package enum ServerRunner {
    /// Errors of running the server.
    package enum RunError: Error, CustomStringConvertible {
        /// The port is taken.
        case addressInUse(String, Int)
        /// Binding failed otherwise.
        case cannotListen(String, Int, String)

        /// One line for the user.
        package var description: String {
            switch self {
            case .addressInUse(let address, let port):
                "cannot listen on \(address):\(port): the port is already in use (pick another with -p)"
            case .cannotListen(let address, let port, let reason): "cannot listen on \(address):\(port): \(reason)"
            }
        }
    }

    /// Runs `application` (and `services`) until a signal, then cleans up.
    package static func run(
        _ application: some ApplicationProtocol & Service,
        address: String,
        port: Int,
        parts: ServerParts,
        services: [any Service] = [],
        gracePeriod: Duration = .seconds(10),
        logger: Logger
    ) async throws {
        let dailyFiles = DailyFileService(writer: parts.dailyFiles, logger: logger)
        let history: [any Service] = parts.history.map { [HistoryService(history: $0)] } ?? []
        let catalog = CatalogService(catalog: parts.services.catalog)
        let keys: [any Service] = parts.clientKeys.map { [ClientKeyService(keys: $0, logger: logger)] } ?? []
        // A service group shuts its services down in reverse order: first the HTTP server (stop accepting, let the
        // streams end, which finishes their records), then the other services (the demo's upstream), and last the
        // token usage reporter and the daily-file and history writers, which write everything those records queued.
        var configuration = ServiceGroupConfiguration(
            services: [dailyFiles] + history + [UsageReportService(reporter: parts.usageReporter, config: parts.services.config)]
                + [AgentShutdownService(registry: parts.agents)] + keys
                + services + (parts.configWatch.map { [$0] } ?? []) + [MemoryReturnService(), catalog, application],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        configuration.maximumGracefulShutdownDuration = gracePeriod
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await parts.shutdownHTTPClients()
            throw mapBindError(error, address: address, port: port)
        }
        await parts.shutdownHTTPClients()
    }

    private static func mapBindError(_ error: any Error, address: String, port: Int) -> any Error {
        if let error = error as? IOError {
            if error.errnoCode == EADDRINUSE { return RunError.addressInUse(address, port) }
            return RunError.cannotListen(address, port, error.description)
        }
        return error
    }
}

/// Runs the daily-file writer for the life of the server; on shutdown it writes what is queued, then returns.
struct DailyFileService: Service {
    /// The writer that is run and flushed.
    let writer: DailyFileWriter
    /// Where write failures are logged.
    let logger: Logger

    /// Runs the writer, logging failures, until graceful shutdown tells it to finish.
    func run() async throws {
        let logger = self.logger
        await withGracefulShutdownHandler {
            await writer.run { logger.warning("cannot write the daily request file: \($0)") }
        } onGracefulShutdown: {
            writer.finish()
        }
    }
}

/// Runs the history database's writer for the life of the server; on shutdown it writes what is queued, then returns.
struct HistoryService: Service {
    /// The history written.
    let history: RequestHistory

    /// Runs the writer until graceful shutdown tells it to finish.
    func run() async throws {
        await withGracefulShutdownHandler {
            await history.run()
        } onGracefulShutdown: {
            history.finish()
        }
    }
}

/// Keeps the model catalog loaded for the life of the server (see `ModelCatalog.keepFresh`).
struct CatalogService: Service {
    /// The catalog kept fresh.
    let catalog: ModelCatalog

    /// Refreshes until graceful shutdown.
    func run() async throws {
        await cancelWhenGracefulShutdown { await catalog.keepFresh() }
    }
}
