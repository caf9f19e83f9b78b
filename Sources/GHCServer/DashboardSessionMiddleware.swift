import GHCDashboard
import Hummingbird
import HummingbirdAuth

/// Login sessions belong to the dashboard: requests to its paths (and the login's) go through the session
/// middleware; the proxy's API, which never accepts a session, skips its cookie parsing and storage lookup (a
/// measurable share of a small proxied request).
struct DashboardSessionMiddleware<Context: SessionRequestContext>: RouterMiddleware {
    /// The session middleware the dashboard's requests go through.
    let sessions: SessionMiddleware<Context>

    /// Runs the request through the session middleware when its path can use a session.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard ServerSecurity.isDashboard(path) || DashboardLogin.openPaths.contains(path) else { return try await next(request, context) }
        return try await sessions.handle(request, context: context, next: next)
    }
}
