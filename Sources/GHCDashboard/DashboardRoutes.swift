import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore

/// The dashboard: its pages and assets (embedded in the binary) and its JSON APIs over the request store.
package struct DashboardRoutes: Sendable {
    /// The request store the pages and APIs read.
    let store: RequestStore
    /// The daily-file writer, whose queue and losses the statistics show.
    let dailyFiles: DailyFileWriter?
    /// The live configuration, read and changed by the runtime-config API.
    let config: LiveConfig
    /// The path of `config.yaml`, where runtime changes are saved.
    let configFile: String

    /// Creates the routes.
    package init(store: RequestStore, dailyFiles: DailyFileWriter? = nil, config: LiveConfig, configFile: String) {
        self.store = store
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
            return JSONResponse.make(statistics)
        }
        router.get("/api/requests") { request, _ in list(request, search: Self.formValue(request, "search")) }
        router.get("/api/requests/search") { request, _ in list(request, search: Self.formValue(request, "q")) }
        router.get("/api/request/{id}") { _, context in try detail(context.parameters.get("id") ?? "", part: nil) }
        router.get("/api/request/{id}/{part}") { _, context in
            try detail(context.parameters.get("id") ?? "", part: context.parameters.get("part"))
        }
        router.get("/api/events") { request, _ in LiveEvents(store: store).response(for: request) }
        router.get("/api/requests/export") { _, _ in ArchiveRoutes(store: store, config: config).export() }
        router.post("/api/requests/import") { request, _ in try await ArchiveRoutes(store: store, config: config).importArchive(request) }
        router.get("/api/runtime-config") { _, _ in RuntimeConfigRoutes(config: config, configFile: configFile).current() }
        router.post("/api/runtime-config") { request, _ in
            try await RuntimeConfigRoutes(config: config, configFile: configFile).change(request)
        }
    }

    private func list(_ request: Request, search: String?) -> Response {
        let query = request.uri.queryParameters
        let page = query["page"].flatMap { Int($0) }.map { max(1, $0) } ?? 1
        let perPage = query["per_page"].flatMap { Int($0) }.map { min(500, max(1, $0)) } ?? 50
        let (items, total) = store.page(page, perPage: perPage, search: search)
        return JSONResponse.make([
            "items": .array(items.map(\.summary)), "total": .int(total), "page": .int(page), "per_page": .int(perPage),
            "total_pages": .int((total + perPage - 1) / perPage), "user_filter": .null,
        ])
    }

    private func detail(_ id: String, part: String?) throws -> Response {
        guard let record = store.record(id) else { return JSONResponse.make(["error": "Request not found"], status: .notFound) }
        let pairs = record.fullPairs(limit: config.current.cacheMaxRequestSize)
        let full = Dictionary(pairs, uniquingKeysWith: { first, _ in first })
        switch part {
        case nil:
            return JSONResponse.make(.object(full))
        case "request-body"?:
            return JSONResponse.make(full["request_body"] ?? .null)
        case "response-body"?:
            if let events = full["raw_events"], events != .null { return JSONResponse.make(["raw_events": events]) }
            return JSONResponse.make(full["response_body"] ?? .null)
        default:
            return JSONResponse.make(["error": "Not found"], status: .notFound)
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
