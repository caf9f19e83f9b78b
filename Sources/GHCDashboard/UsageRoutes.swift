import GHCCore
import GHCHTTP
import GHCKeys
import GHCSync
import GHCUsage
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `GET /api/config-manager/token-usage` (ghc-api 1.0.31's cross-machine overview, plus `machine`) and
/// `GET /api/quota` (the Copilot plan's quotas) and `GET /api/keys` (client keys with their usage, never their text).
struct UsageRoutes: Sendable {
    /// The live configuration (sync settings, `machine_name`).
    let config: LiveConfig
    /// The path of `config.yaml`.
    let configFile: String
    /// This machine's `token_usage.jl`.
    let usageFile: String
    /// The environment and home folder.
    let sync: SyncEnvironment
    /// Asks GitHub for the quota; `nil` without a login.
    let quota: @Sendable () async -> JSONValue?
    /// The client keys, when the server accepts them.
    let clientKeys: LiveClientKeys?

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/usage") { _, _ in DashboardRoutes.asset("usage.html") }
        router.get("/api/config-manager/token-usage") { request, _ in overview(request) }
        router.get("/api/quota") { _, _ in
            guard let quota = await quota() else {
                return JSONResponse.make(
                    ["error": "no quota: not logged in to GitHub, or GitHub did not answer"],
                    status: .serviceUnavailable
                )
            }
            return JSONResponse.make(quota)
        }
        router.get("/api/keys") { _, _ in
            let now = Date()
            return JSONResponse.make(["keys": .array((clientKeys?.listings() ?? []).map { $0.json(now: now) })])
        }
    }

    private func overview(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        let now = Date().timeIntervalSince1970
        guard let window = UsageWindow(range: query["range"].map(String.init) ?? "week", now: now) else {
            return JSONResponse.make(["error": "Invalid range. Use: all, hour, day, week, month"], status: .badRequest)
        }
        let history = UsageHistory.load(config: config.current, configFile: configFile, localFile: usageFile, sync: sync)
        let user = query["user"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let only = query["machine"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let overview = UsageOverview(history, window: window, machine: only, user: user, now: now)
        var json = overview.json
        json["timeseries"]?["by_model"] = .object(overview.series(by: \.model).values.mapValues { .array($0.map(JSONValue.int)) })
        return JSONResponse.make(json)
    }
}
