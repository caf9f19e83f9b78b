import Foundation
import GHCAgent
import GHCCore
import GHCHTTP
import Hummingbird
import NIOCore

/// The `/agent` page and `/api/agent/…`: ghc-api 1.0.31's routes over ACP sessions, plus permission answers,
/// resume, and the agents list.
struct AgentRoutes: Sendable {
    /// The sessions.
    let registry: SessionRegistry

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/agent") { _, _ in DashboardRoutes.asset("agent.html") }
        router.get("/api/agent/agents") { _, _ in await agents() }
        router.get("/api/agent/machines") { _, _ in
            JSONResponse.make(["machines": .array(await registry.places.machines().map { .string($0) })])
        }
        router.get("/api/agent/workdirs") { _, _ in
            JSONResponse.make(["dirs": .array(await registry.places.workDirectories.list().map { .string($0) })])
        }
        router.get("/api/agent/sessions") { request, _ in await list(request) }
        router.post("/api/agent/sessions") { request, _ in try await create(request) }
        router.get("/api/agent/sessions/{id}") { request, context in await detail(request, id: context.parameters.get("id") ?? "") }
        router.get("/api/agent/sessions/{id}/storage-path") { request, _ in
            let folder = await registry.places.folder(machine: Self.query(request, "machine"))
            guard let folder else { return Self.error("Unknown machine", .badRequest) }
            return JSONResponse.make(["path": .string(folder.path)])
        }
        router.post("/api/agent/sessions/{id}/prompt") { request, context in
            try await prompt(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/api/agent/sessions/{id}/cancel") { _, context in
            guard let session = await registry.session(context.parameters.get("id") ?? "") else {
                return Self.error("Session is not active", .badRequest)
            }
            await session.cancel()
            return JSONResponse.make(["ok": true])
        }
        router.post("/api/agent/sessions/{id}/permission") { request, context in
            try await permission(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/api/agent/sessions/{id}/mode") { request, context in try await mode(request, id: context.parameters.get("id") ?? "") }
        router.post("/api/agent/sessions/{id}/config-option") { request, context in
            try await configOption(request, id: context.parameters.get("id") ?? "")
        }
        router.post("/api/agent/sessions/{id}/resume") { request, context in
            try await resume(request, id: context.parameters.get("id") ?? "")
        }
        router.delete("/api/agent/sessions/{id}") { _, context in
            do throws(AgentError) {
                try await registry.end(context.parameters.get("id") ?? "")
                return JSONResponse.make(["ok": true])
            } catch {
                return Self.error(error.description, .conflict)
            }
        }
    }

    private func agents() async -> Response {
        let entries = await registry.catalog.entries()
        let items = entries.map { JSONValue.object($0.json) }
        return JSONResponse.make(["agents": .array(items)])
    }

    private func list(_ request: Request) async -> Response {
        let machine = Self.query(request, "machine")
        let places = await registry.places
        guard let folder = places.folder(machine: machine) else { return Self.error("Unknown machine", .badRequest) }
        let local = folder.path == places.own.path
        let page = max(1, Int(Self.query(request, "page") ?? "") ?? 1)
        let perPage = min(500, max(1, Int(Self.query(request, "per_page") ?? "") ?? 50))
        let sessions = folder.list()
        let start = min(sessions.count, (page - 1).multipliedReportingOverflow(by: perPage).partialValue.clamped(0, sessions.count))
        var items: [JSONValue] = []
        for stored in sessions[start..<min(sessions.count, start + perPage)] {
            items.append(.object(await registry.describe(stored, local: local, detail: false)))
        }
        let pages = max(1, (sessions.count + perPage - 1) / perPage)
        return JSONResponse.make([
            "items": .array(items), "total": .int(sessions.count), "page": .int(page), "per_page": .int(perPage),
            "total_pages": .int(pages),
        ])
    }

    private func detail(_ request: Request, id: String) async -> Response {
        let places = await registry.places
        let folder = places.folder(machine: Self.query(request, "machine"))
        guard let stored = folder?.read(id) ?? places.own.read(id) else { return Self.error("Session not found", .notFound) }
        let local = places.own.read(id) != nil && (folder?.path == places.own.path || folder?.read(id) == nil)
        return JSONResponse.make(.object(await registry.describe(stored, local: local, detail: true)))
    }

    private func create(_ request: Request) async throws -> Response {
        guard let body = try await Self.body(request) else { return Self.error("The body must be a JSON object", .badRequest) }
        guard let kind = body["agent_kind"]?.stringValue, !kind.isEmpty else { return Self.error("agent_kind is required", .badRequest) }
        guard let directory = body["working_directory"]?.stringValue, !directory.isEmpty else {
            return Self.error("working_directory is required", .badRequest)
        }
        guard await registry.catalog.kinds.contains(kind) else {
            return Self.error("Invalid agent_kind '\(kind)'; known: \(await registry.catalog.kinds.joined(separator: ", "))", .badRequest)
        }
        let additional = (body["add_dirs"]?.arrayValue ?? []).compactMap(\.stringValue)
        for folder in [directory] + additional {
            var isDirectory: ObjCBool = false
            guard folder.hasPrefix("/"), FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                return Self.error("Directory does not exist: \(folder)", .badRequest)
            }
        }
        do {
            let session = try await registry.create(
                kind: kind,
                directory: directory,
                additional: additional,
                bypass: body["bypass_permissions"]?.boolValue ?? true,
                mode: body["mode"]?.stringValue
            )
            var header = await session.header
            header["messages"] = []
            return JSONResponse.make(.object(header), status: .created)
        } catch {
            return Self.error(error.description, .internalServerError)
        }
    }

    private func resume(_ request: Request, id: String) async throws -> Response {
        let body = try await Self.body(request) ?? [:]
        do {
            let session = try await registry.resume(id, bypass: body["bypass_permissions"]?.boolValue ?? true)
            var header = await session.header
            header["status"] = "active"
            return JSONResponse.make(.object(header))
        } catch {
            switch error {
            case .noSuchSession: return Self.error("Session not found", .notFound)
            case .cannotResume, .storage: return Self.error(error.description, .conflict)
            default: return Self.error(error.description, .internalServerError)
            }
        }
    }

    private func permission(_ request: Request, id: String) async throws -> Response {
        guard let session = await registry.session(id) else { return Self.error("Session is not active", .badRequest) }
        guard let body = try await Self.body(request), let requestID = body["request_id"]?.stringValue else {
            return Self.error("request_id is required", .badRequest)
        }
        let outcome: PermissionOutcome
        if body["cancelled"]?.boolValue == true {
            outcome = .cancelled
        } else if let option = body["option_id"]?.stringValue {
            guard let waiting = await session.pendingPermissions.first(where: { $0.id == requestID }) else {
                return Self.error("No such permission request", .notFound)
            }
            guard waiting.options.contains(where: { $0.id == option }) else {
                return Self.error("Unknown option_id '\(option)'", .badRequest)
            }
            outcome = .selected(option)
        } else {
            return Self.error("option_id or cancelled is required", .badRequest)
        }
        guard await session.answerPermission(requestID, outcome) else { return Self.error("No such permission request", .notFound) }
        return JSONResponse.make(["ok": true])
    }

    private func mode(_ request: Request, id: String) async throws -> Response {
        guard let session = await registry.session(id) else { return Self.error("Session is not active", .badRequest) }
        guard let mode = try await Self.body(request)?["mode_id"]?.stringValue else {
            return Self.error("mode_id is required", .badRequest)
        }
        do {
            try await session.setMode(mode)
            return JSONResponse.make(["ok": true, "modes": await session.header["modes"] ?? .null])
        } catch {
            return Self.error(error.description, .badRequest)
        }
    }

    private func configOption(_ request: Request, id: String) async throws -> Response {
        guard let session = await registry.session(id) else { return Self.error("Session is not active", .badRequest) }
        let body = try await Self.body(request)
        guard let option = body?["config_id"]?.stringValue, let value = body?["value"], value != .null else {
            return Self.error("config_id and value are required", .badRequest)
        }
        do {
            try await session.setConfigOption(option, value: value)
            return JSONResponse.make(["ok": true, "config_options": await session.header["config_options"] ?? .null])
        } catch {
            return Self.error(error.description, .badRequest)
        }
    }

    private func prompt(_ request: Request, id: String) async throws -> Response {
        guard let text = try await Self.body(request)?["text"]?.stringValue, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            return Self.error("text is required", .badRequest)
        }
        guard let session = await registry.session(id) else { return Self.error("Session is not active", .badRequest) }
        if await session.isBusy { return Self.error(AgentError.busy.description, .conflict) }
        return Response(status: .ok, headers: EventStreamHeaders.fields, body: AgentTurnStream(session: session, text: text).body)
    }

    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    static func body(_ request: Request) async throws -> [String: JSONValue]? {
        var request = request
        let bytes = Array(buffer: try await request.collectBody(upTo: 1 << 20))
        if bytes.isEmpty { return [:] }
        return (try? JSONValue.parse(bytes))?.objectValue
    }

    static func error(_ message: String, _ status: HTTPResponse.Status) -> Response {
        JSONResponse.make(["error": .string(message)], status: status)
    }
}

extension Int {
    fileprivate func clamped(_ low: Int, _ high: Int) -> Int { Swift.min(high, Swift.max(low, self)) }
}
