import GHCCore
import GHCHTTP
import GHCProxy
import GHCUpstream
import Hummingbird

/// `GET /healthz` and `GET /readyz`, for service managers, containers and load balancers. Both answer without an API
/// key: they say whether the server can serve, never anything a key protects.
struct HealthRoutes: Sendable {
    /// The paths, open to callers without a key.
    static let paths: Set<String> = ["/healthz", "/readyz"]

    /// The services whose state `/readyz` reports.
    let services: ProxyServices

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/healthz") { _, _ in JSONResponse.make(["status": "ok"]) }
        router.get("/readyz") { _, _ in await readiness() }
    }

    /// 200 when a Copilot token is held and the model catalog is loaded, else 503 with what is missing.
    func readiness() async -> Response {
        let token = await services.copilot.tokens.heldToken
        let catalog = await services.catalog.cached
        var problems: [JSONValue] = []
        if token == nil {
            let loggedIn = await services.copilot.tokens.githubCredential != nil
            problems.append(loggedIn ? "no Copilot token yet" : "not logged in to GitHub (run: ghc-api auth login)")
        }
        if catalog == nil { problems.append("the model catalog is not loaded yet") }
        let document: JSONValue = [
            "status": problems.isEmpty ? "ready" : "not_ready",
            "copilot_token": .bool(token != nil),
            "models": catalog.map { .int($0.models.count) } ?? .null,
            "problems": .array(problems),
        ]
        return JSONResponse.make(document, status: problems.isEmpty ? .ok : .serviceUnavailable)
    }
}
