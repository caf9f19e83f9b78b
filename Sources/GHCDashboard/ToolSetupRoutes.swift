import Foundation
import GHCAgentSetup
import GHCCore
import GHCHTTP
import GHCSync
import Hummingbird
import NIOCore

/// The code agent manager's tool routes: point Claude Code and Codex at the proxy (diff first, then apply), install
/// or update the tools with npm (the original's result shape, with the output streamed as it comes), and the
/// installed versions.
struct ToolSetupRoutes: Sendable {
    /// The live configuration (address, port, `api_keys`).
    let config: LiveConfig
    /// The path of `config.yaml` (the install log goes beside it).
    let configFile: String
    /// The environment and home folder.
    let sync: SyncEnvironment
    /// The live catalog's entries.
    let models: @Sendable () async -> [JSONValue]
    /// The install in progress.
    let feed = InstallFeed()

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/api/config-manager/software-versions") { _, _ in
            let rows = await SoftwareVersions.rows(path: sync.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
            let items: [JSONValue] = rows.map { row in
                [
                    "name": .string(row.name), "program": .string(row.program), "status": row.path == nil ? "missing" : "installed",
                    "version": row.version.map { .string($0) } ?? .null, "command": row.path.map { .string($0) } ?? .null,
                ]
            }
            return JSONResponse.make(["software": .array(items)])
        }
        router.get("/api/config-manager/point/{tool}") { _, context in await point(context.parameters.get("tool") ?? "", apply: false) }
        router.post("/api/config-manager/point/{tool}") { _, context in await point(context.parameters.get("tool") ?? "", apply: true) }
        router.post("/api/config-manager/install-tools") { request, _ in try await install(request) }
        router.get("/api/config-manager/install-tools/events") { _, _ in events() }
    }

    /// The change that points `tool` at the proxy; applied (backup, atomic write) when `apply`.
    private func point(_ tool: String, apply: Bool) async -> Response {
        let current = config.current
        let pointing = ProxyPointing(
            baseURL: ProxyAddress.url(address: current.address, port: current.port),
            apiKey: current.apiKeys.first,
            choice: ModelChoice(entries: await models().compactMap(ModelChoice.entry))
        )
        do throws(SetupError) {
            let (change, warnings): (SettingsChange, [String])
            switch tool {
            case "claude-code":
                (change, warnings) = try pointing.claudeCode(path: sync.home + "/.claude/settings.json", model: nil, smallModel: nil)
            case "codex": (change, warnings) = try pointing.codex(path: sync.home + "/.codex/config.toml", model: nil)
            default: return JSONResponse.make(["error": .string("Unknown tool '\(tool)'; use claude-code or codex")], status: .notFound)
            }
            var result: [String: JSONValue] = [
                "tool": .string(tool), "path": .string(change.path), "changes": .bool(change.changes),
                "diff": .array(change.diff.map { .string($0) }), "warnings": .array(warnings.map { .string($0) }),
            ]
            if apply {
                result["backup"] = try change.apply().map { .string($0) } ?? .null
                result["ok"] = true
            }
            return JSONResponse.make(.object(result))
        } catch {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        }
    }

    /// Runs the installs one after another and answers with ghc-api 1.0.31's result shape (200 when all succeeded,
    /// else 500); the output goes to `…/install-tools/events` meanwhile.
    private func install(_ request: Request) async throws -> Response {
        var request = request
        let body = (try? JSONValue.parse(Array(buffer: try await request.collectBody(upTo: 1 << 16)))) ?? [:]
        let names = (body["tools"]?.arrayValue ?? []).compactMap(\.stringValue)
        let tools = ToolInstaller.tools.filter { names.isEmpty || names.contains($0.name) }
        let logFile = FileStore.parentDirectory(of: configFile) + "/code_agent_install.log"
        let wsl = SyncPlatform.current(environment: sync.environment) == .wsl
        guard let npm = ToolInstaller.findNPM(environment: sync.environment, wsl: wsl) else {
            return JSONResponse.make(
                ["ok": false, "log_file": .string(logFile), "error": .string(SetupError.noNPM.description)],
                status: .internalServerError
            )
        }
        guard feed.begin() else { return JSONResponse.make(["error": "An install is already running"], status: .conflict) }
        let installer = ToolInstaller(npm: npm, logFile: logFile)
        installer.log("install started from the dashboard: \(tools.map(\.name).joined(separator: ", "))")
        let backups = installer.backUpSettings(home: sync.home)
        var results: [String: JSONValue] = [:]
        var ok = true
        for tool in tools {
            feed.publish(["event": "step", "tool": .string(tool.name), "status": "running"])
            let result = await installer.install(tool) { line, isError in
                feed.publish([
                    "event": "output", "tool": .string(tool.name), "stream": isError ? "stderr" : "stdout", "line": .string(line),
                ])
            }
            ok = ok && result.returnCode == 0
            feed.publish([
                "event": "step", "tool": .string(tool.name), "status": result.returnCode == 0 ? "installed" : "failed",
                "returncode": .int(result.returnCode),
            ])
            results[tool.resultKey] = [
                "command": .string(result.command), "resolved_command": .string(result.resolvedCommand),
                "returncode": .int(result.returnCode),
                "stdout": .string(result.stdout), "stderr": .string(result.stderr),
            ]
        }
        feed.end(["event": "done", "ok": .bool(ok)])
        let answer: JSONValue = [
            "ok": .bool(ok), "log_file": .string(logFile), "backups": .object(backups.mapValues { .string($0) }),
            "results": .object(results),
        ]
        return JSONResponse.make(answer, status: ok ? .ok : .internalServerError)
    }

    /// The install's events as server-sent events (`step`, `output`, `done`), from the start of the run.
    private func events() -> Response {
        let stream = feed.subscribe()
        return Response(
            status: .ok,
            headers: EventStreamHeaders.fields,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                for await event in stream {
                    let name = event["event"]?.stringValue ?? "output"
                    try await writer.write(ByteBuffer(bytes: ServerSentEvent.format(event: name, data: event.jsonString())))
                }
                try await writer.finish(nil)
            }
        )
    }
}
