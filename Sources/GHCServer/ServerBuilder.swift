import AsyncHTTPClient
import GHCAgent
import GHCCore
import GHCDashboard
import GHCKeys
import GHCProxy
import GHCStore
import GHCSync
import GHCUpstream
import GHCUsage
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `serve` (and the server tests) need to build the application.
package struct ServerSettings: Sendable {
    /// The configuration, with command-line overrides applied.
    package var config: GHCConfig
    /// Where the config and token files are.
    package var location: ConfigLocation
    /// The GitHub credential at start, if any.
    package var credential: GitHubCredential?
    /// Reads the credential again (after `auth login` in another terminal); `nil` to keep the one given.
    package var reloadCredential: (@Sendable () -> GitHubCredential?)?
    /// Connection retry timing.
    package var retry: RetryPolicy
    /// How long one connection attempt may take.
    package var connectTimeout: Duration = .seconds(5)
    /// The logger.
    package var logger: Logger
    /// The request history database (`requests.db` in the config folder).
    package var historyDatabase: String
    /// This machine's local `token_usage.jl` (in the config folder).
    package var usageFile: String
    /// Whether usage lines go to OneDrive when sync is on (not for `--demo`'s made-up requests).
    package var reportsUsageToOneDrive = true
    /// Where config sync finds Claude Code's and Codex's files.
    package var sync = SyncEnvironment(environment: [:], home: "/nonexistent")
    /// Values the command line set, which win over `config.yaml` when it is reloaded.
    package var configOverrides: [String: JSONValue] = [:]
    /// Whether `config.yaml` is applied again when it changes.
    package var watchesConfigFile = false
    /// The client keys of `ghc-api keys`, when the server accepts them.
    package var clientKeys: LiveClientKeys?

    /// Creates settings; connection retries follow `max_connection_retries`.
    package init(
        config: GHCConfig,
        location: ConfigLocation,
        credential: GitHubCredential?,
        reloadCredential: (@Sendable () -> GitHubCredential?)?,
        logger: Logger
    ) {
        self.config = config
        self.location = location
        self.credential = credential
        self.reloadCredential = reloadCredential
        self.retry = RetryPolicy(maxRetries: config.maxConnectionRetries)
        self.logger = logger
        self.historyDatabase = location.historyDatabase
        self.usageFile = location.directory + "/" + UsageFile.name
    }
}

/// The parts of a built server that outlive the application value.
package struct ServerParts: Sendable {
    /// The routes' services (token manager, catalog, live config, recorder).
    package let services: ProxyServices
    /// The HTTP client for GitHub calls and Copilot's token and catalog; shut the clients down with
    /// `shutdownHTTPClients()` after the server stops.
    package let httpClient: HTTPClient
    /// The config file the dashboard saves runtime changes to.
    package let configFile: String
    /// The daily-file writer, run as a service so it is flushed on shutdown.
    package let dailyFiles: DailyFileWriter
    /// Where config sync finds Claude Code's and Codex's files.
    package let sync: SyncEnvironment
    /// The watcher that applies `config.yaml` when it changes, when the server has one.
    let configWatch: ConfigWatchService?
    /// Writes token usage to `token_usage.jl`.
    package let usageReporter: UsageReporter
    /// This machine's `token_usage.jl` in the config folder.
    package let usageFile: String
    /// The history database's writer (unless `history_enabled` is false), run as a service so what is queued is
    /// written on shutdown.
    package let history: RequestHistory?
    /// The ACP agent sessions this server runs.
    package let agents: SessionRegistry
    /// The port the server listens on, once it does (agents are pointed at it).
    package let listeningPort: ListeningPort
    /// The client keys of `ghc-api keys`, when the server accepts them.
    package let clientKeys: LiveClientKeys?
    /// The key the coding agents this server starts are given.
    package let agentKey: String
    /// The Prometheus metrics of `/metrics`.
    package let metrics: ServerMetrics
}

/// The port the server listens on, known once it has bound (port 0 picks one).
package final class ListeningPort: Sendable {
    private let port = Mutex<Int?>(nil)

    /// An unknown port.
    package init() {}

    /// The port, once the server listens.
    package var value: Int? { port.withLock { $0 } }

    /// Records the port.
    func set(_ value: Int) { port.withLock { $0 = value } }
}

/// The request context of every route: Hummingbird's, plus the caller's address, key name and request id for the
/// request records.
package struct ServerRequestContext: RequestContext, RemoteAddressRequestContext, SessionRequestContext,
    CallerRequestContext
{
    /// Hummingbird's storage.
    package var coreContext: CoreRequestContextStorage
    /// The dashboard login of the browser that sent the request, if any.
    package let sessions = SessionContext<DashboardSession>()
    /// The caller's socket address.
    package let remoteAddress: SocketAddress?
    /// The name of the client key the request was let in with.
    package var clientKeyName: String?
    /// The request's id (`x-request-id`).
    package var requestID: RequestIdentity?

    /// Creates the context of one request.
    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// Requests are read by the routes themselves, up to `max_request_body_size`.
    package var maxUploadSize: Int { 1 << 30 }
}

extension ServerParts {
    /// Shuts down the HTTP clients of upstream calls (each must be, before it is released).
    package func shutdownHTTPClients() async {
        await services.copilot.http.shutdown()
        try? await httpClient.shutdown()
    }
}

/// Builds the HTTP client for GitHub calls (and the token and catalog calls to Copilot): its read timeout is the idle
/// limit of every such exchange.
package func buildUpstreamHTTPClient(config: GHCConfig, connectTimeout: Duration) -> HTTPClient {
    var configuration = HTTPClient.Configuration()
    let (seconds, attoseconds) = connectTimeout.components
    configuration.timeout = .init(
        connect: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000),
        read: .seconds(Int64(config.upstreamReadTimeout))
    )
    // Many concurrent streams to one upstream: the default of 8 HTTP/1.1 connections would queue requests.
    configuration.connectionPool = .init(idleTimeout: .seconds(90), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
    // Connection retries are ghc-api's own (`max_connection_retries`, with backoff per request). AsyncHTTPClient's would
    // add a pool-wide backoff that grows with every refused attempt, so after a burst of failures it stopped dialling
    // for up to a minute while Copilot was back.
    configuration.connectionPool.retryConnectionEstablishment = false
    configuration.decompression = .disabled
    // No tracing: with no tracer set up, AsyncHTTPClient still parsed every URL again for span attributes.
    configuration.tracing.tracer = nil
    return HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
}

/// Builds the router with every route and the security middleware.
package func buildRouter(parts: ServerParts, security: ServerSecurity) -> Router<ServerRequestContext> {
    let router = Router(context: ServerRequestContext.self)
    let cookie = SessionCookieParameters(name: "ghc_api_session", sameSite: .strict)
    router.add(middleware: RequestIDMiddleware())
    router.add(
        middleware: DashboardSessionMiddleware(
            sessions: SessionMiddleware(storage: MemoryPersistDriver(), configuration: .init(sessionCookieParameters: cookie))
        )
    )
    router.add(middleware: SecurityMiddleware(security: security))
    router.add(middleware: FallbackMiddleware())
    OpenAIRoutes(services: parts.services).add(to: router)
    AnthropicRoutes(services: parts.services).add(to: router)
    HealthRoutes(services: parts.services).add(to: router)
    MetricsRoutes(metrics: parts.metrics, store: parts.services.recorder.store, dailyFiles: parts.dailyFiles, history: parts.history)
        .add(to: router)
    DashboardLogin(required: { security.requiresKey }, identify: security.identify).add(to: router)
    DashboardRoutes(
        store: parts.services.recorder.store,
        history: parts.history,
        dailyFiles: parts.dailyFiles,
        config: parts.services.config,
        configFile: parts.configFile,
        sync: parts.sync,
        usageFile: parts.usageFile,
        quota: { await quotaDocument(parts) },
        agents: parts.agents,
        models: { (try? await parts.services.catalog.snapshot())?.models.map(\.raw) ?? [] },
        clientKeys: parts.clientKeys
    ).add(to: router)
    return router
}

/// The Copilot quota as `/api/quota` sends it, asked with the server's GitHub login; `nil` without one.
func quotaDocument(_ parts: ServerParts) async -> JSONValue? {
    guard let credential = await parts.services.copilot.tokens.githubCredential else { return nil }
    let config = parts.services.config.current
    let quota = try? await CopilotQuota.fetch(
        http: UpstreamHTTP(client: parts.httpClient),
        githubAPIBaseURL: config.githubAPIBaseURL,
        identity: UpstreamIdentity(config: config),
        githubToken: credential.token
    )
    return quota?.json(now: Date())
}

/// Builds the services of a server from settings (used by `serve` and by the tests).
package func buildServerParts(_ settings: ServerSettings) -> ServerParts {
    let httpClient = buildUpstreamHTTPClient(config: settings.config, connectTimeout: settings.connectTimeout)
    let http = UpstreamHTTP(client: httpClient)
    let metrics = ServerMetrics()
    let tokens = CopilotTokenManager(
        http: http,
        settings: .init(config: settings.config),
        credential: settings.credential,
        reload: settings.reloadCredential,
        exchanged: { metrics.countTokenRefresh(succeeded: $0) }
    )
    let identity = UpstreamIdentity(config: settings.config)
    let copilot = CopilotClient(
        http: PooledHTTPClient(
            settings: .init(connectTimeout: settings.connectTimeout, readTimeout: .seconds(settings.config.upstreamReadTimeout))
        ),
        tokens: tokens,
        identity: identity,
        retry: settings.retry,
        headTimeout: .seconds(settings.config.upstreamReadTimeout),
        logger: settings.logger
    )
    let catalog = ModelCatalog(api: CopilotAPI(http: http, tokens: tokens, identity: identity))
    let config = LiveConfig(settings.config)
    let store = RequestStore(
        maxEntries: settings.config.cacheMaxEntries,
        maxBytes: settings.config.cacheMaxBytes,
        bodyLimit: settings.config.cacheMaxRequestSize,
        compactsBodies: !settings.config.historyEnabled
    )
    let dailyFiles = DailyFileWriter(files: DailyFiles(directory: settings.location.requestsDirectory))
    let history =
        settings.config.historyEnabled
        ? RequestHistory(
            path: settings.historyDatabase,
            retention: { RequestHistory.Retention(maxDays: config.current.historyMaxDays, maxBytes: config.current.historyMaxBytes) },
            logger: settings.logger,
            persisted: { store.markPersisted($0) }
        ) : nil
    let usage = UsageCounters()
    let clientKeys = settings.clientKeys
    // The agents this server starts get a key of their own, so they work whatever keys the server requires.
    let agentKey = KeySecret.generate()
    let recorder = Recorder(
        store: store,
        dailyFiles: dailyFiles,
        history: history,
        usage: usage,
        config: config,
        logger: settings.logger,
        finished: { record in
            metrics.count(record)
            guard let name = record.keyName else { return }
            let input = record.usage.input + record.usage.cacheRead + record.usage.cacheCreation
            clientKeys?.count(name: name, inputTokens: input, outputTokens: record.usage.output, at: Date())
        }
    )
    let sync = settings.sync
    let configFile = settings.location.configFile
    let toOneDrive = settings.reportsUsageToOneDrive
    let reporter = UsageReporter(
        counters: usage,
        localFile: settings.usageFile,
        oneDriveFile: {
            guard toOneDrive else { return nil }
            let session = try? SyncSetup.session(
                config: config.current,
                configFile: configFile,
                sync: sync
            )
            return session.map { $0.agentRoot + "/" + UsageFile.name }
        },
        logger: settings.logger
    )
    let services = ProxyServices(config: config, copilot: copilot, catalog: catalog, recorder: recorder, logger: settings.logger)
    let listeningPort = ListeningPort()
    let address = settings.config.address
    let directory = settings.location.directory
    let agents = SessionRegistry(
        setup: SessionRegistry.Setup(
            catalog: { AgentCatalog(configured: config.current.acpAgents, environment: sync.environment, home: sync.home) },
            places: {
                SessionPlaces.resolve(config: config.current, configFile: configFile, configDirectory: directory, sync: sync)
            },
            environment: {
                guard config.current.agentUsesProxy, let port = listeningPort.value else { return [:] }
                return ProxyEnvironment.variables(address: address, port: port, apiKey: agentKey)
            },
            flushInterval: { config.current.sessionFlushInterval }
        )
    )
    return ServerParts(
        services: services,
        httpClient: httpClient,
        configFile: settings.location.configFile,
        dailyFiles: dailyFiles,
        sync: settings.sync,
        configWatch: settings.watchesConfigFile
            ? ConfigWatchService(
                file: settings.location.configFile,
                config: config,
                overrides: settings.configOverrides,
                logger: settings.logger
            ) : nil,
        usageReporter: reporter,
        usageFile: settings.usageFile,
        history: history,
        agents: agents,
        listeningPort: listeningPort,
        clientKeys: clientKeys,
        agentKey: agentKey,
        metrics: metrics
    )
}

/// Builds the application listening on `address:port`.
package func buildApplication(
    parts: ServerParts,
    address: String,
    port: Int,
    logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let config = parts.services.config.current
    let security = ServerSecurity(address: address, apiKeys: config.apiKeys, clientKeys: parts.clientKeys, agentKey: parts.agentKey)
    return Application(
        router: buildRouter(parts: parts, security: security),
        server: HTTPServerBuilder { responder in
            EventLoopAffineChannel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(additionalChannelHandlers: [ClientEndCloser(logger: logger), ResponseHeadCoalescer()])
                )
            )
        },
        configuration: ApplicationConfiguration(address: .hostname(address, port: port), serverName: "ghc-api"),
        onServerRunning: { channel in
            let actual = channel.localAddress?.port ?? port
            parts.listeningPort.set(actual)
            await onServerRunning(actual)
        },
        logger: logger
    )
}
