import GHCAgent
import GHCCore
import GHCHTTP
import GHCKeys
import GHCStore
import GHCSync
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard: its pages and assets (embedded in the binary) and its JSON APIs over the request store.
package struct DashboardRoutes: Sendable {
    /// The in-memory window: requests in flight, and the history while the database is not open.
    let store: RequestStore
    /// The request history database the pages and APIs read.
    let history: RequestHistory?
    /// The daily-file writer, whose queue and losses the statistics show.
    let dailyFiles: DailyFileWriter?
    /// The live configuration, read and changed by the runtime-config API.
    let config: LiveConfig
    /// The path of `config.yaml`, where runtime changes are saved.
    let configFile: String
    /// Where the config manager finds the files it syncs.
    let sync: SyncEnvironment
    /// This machine's `token_usage.jl`.
    let usageFile: String
    /// Asks GitHub for the Copilot quota; `nil` without a login.
    let quota: @Sendable () async -> JSONValue?
    /// The ACP agent sessions of the `/agent` page; `nil` leaves the page out.
    let agents: SessionRegistry?
    /// The live catalog's raw entries, for the models the manager points tools at.
    let models: @Sendable () async -> [JSONValue]
    /// The client keys of `ghc-api keys` with their usage, for the usage page.
    let clientKeys: LiveClientKeys?

    /// Creates the routes.
    package init(
        store: RequestStore,
        history: RequestHistory? = nil,
        dailyFiles: DailyFileWriter? = nil,
        config: LiveConfig,
        configFile: String,
        sync: SyncEnvironment = SyncEnvironment(environment: [:], home: "/nonexistent"),
        usageFile: String = "/nonexistent/token_usage.jl",
        quota: @escaping @Sendable () async -> JSONValue? = { nil },
        agents: SessionRegistry? = nil,
        models: @escaping @Sendable () async -> [JSONValue] = { [] },
        clientKeys: LiveClientKeys? = nil
    ) {
        self.clientKeys = clientKeys
        self.models = models
        self.agents = agents
        self.sync = sync
        self.usageFile = usageFile
        self.quota = quota
        self.store = store
        self.history = history
        self.dailyFiles = dailyFiles
        self.config = config
        self.configFile = configFile
    }

    /// Adds the routes to `router`.
    package func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/") { _, _ in Self.asset("index.html") }
        router.get("/requests") { _, _ in Self.asset("requests.html") }
        router.get("/assets/{name}") { _, context in Self.asset(context.parameters.get("name") ?? "") }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/api/stats") { _, _ in
            var statistics = store.statistics()
            statistics["daily_files"] = dailyFiles?.statistics
            await history?.flush()
            statistics["history"] = await history?.statistics()
            return JSONResponse.make(statistics)
        }
        let browser = HistoryBrowser(store: store, history: history, config: config)
        router.get("/api/requests") { request, _ in await browser.list(request, search: Self.formValue(request, "search")) }
        router.get("/api/requests/search") { request, _ in await browser.list(request, search: Self.formValue(request, "q")) }
        router.get("/api/request/{id}") { _, context in await browser.detail(context.parameters.get("id") ?? "", part: nil) }
        router.get("/api/request/{id}/{part}") { _, context in
            await browser.detail(context.parameters.get("id") ?? "", part: context.parameters.get("part"))
        }
        router.get("/api/events") { request, _ in LiveEvents(store: store).response(for: request) }
        let archives = ArchiveRoutes(store: store, history: history, config: config)
        router.get("/api/requests/export") { request, _ in await archives.export(request) }
        router.post("/api/requests/import") { request, _ in try await archives.importArchive(request) }
        ConfigManagerRoutes(config: config, configFile: configFile, sync: sync).add(to: router)
        ToolSetupRoutes(config: config, configFile: configFile, sync: sync, models: models).add(to: router)
        UsageRoutes(config: config, configFile: configFile, usageFile: usageFile, sync: sync, quota: quota, clientKeys: clientKeys)
            .add(to: router)
        if let agents { AgentRoutes(registry: agents).add(to: router) }
        router.get("/api/runtime-config") { _, _ in RuntimeConfigRoutes(config: config, configFile: configFile).current() }
        router.post("/api/runtime-config") { request, _ in
            try await RuntimeConfigRoutes(config: config, configFile: configFile).change(request)
        }
    }

    /// A query parameter with `+` read as a space, as HTML forms and most clients encode it.
    static func formValue(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map { String($0).replacingAll("+", with: " ") }
    }

    /// An embedded page or asset, with a content security policy that allows no script but our own.
    /// - Parameters:
    ///   - status: the status to answer with.
    ///   - edit: a change to the text before it is sent (the login page's error line).
    static func asset(_ name: String, status: HTTPResponse.Status = .ok, edit: (String) -> String = { $0 }) -> Response {
        guard let asset = EmbeddedAssets.files[name] else { return JSONResponse.make(["error": "Not found"], status: .notFound) }
        let headers: HTTPFields = [
            .contentType: asset.contentType, .cacheControl: "no-cache",
            HTTPField.Name("content-security-policy")!:
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
            HTTPField.Name("x-content-type-options")!: "nosniff", HTTPField.Name("referrer-policy")!: "same-origin",
        ]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: edit(asset.body))))
    }
}
