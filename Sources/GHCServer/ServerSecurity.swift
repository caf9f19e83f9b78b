import GHCCore
import GHCDashboard
import GHCKeys
import GHCProxy
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// Who may call the server: API keys when configured, and a `Host` check that stops DNS-rebinding pages from
/// reaching a loopback server through the user's browser.
package struct ServerSecurity: Sendable {
    /// The keys of `api_keys` in `config.yaml`.
    package let apiKeys: Set<String>
    /// The keys made with `ghc-api keys add`, when the server reads them.
    package let clientKeys: LiveClientKeys?
    /// The key of the coding agents this server starts, when it starts any.
    package let agentKey: String?
    /// Accepted host names in `Host` (lowercased, port ignored); `nil` skips the check.
    package let allowedHosts: Set<String>?

    /// The rules for a server bound to `address`.
    package init(address: String, apiKeys: [String], clientKeys: LiveClientKeys? = nil, agentKey: String? = nil) {
        self.apiKeys = Set(apiKeys)
        self.clientKeys = clientKeys
        self.agentKey = agentKey
        allowedHosts = Self.isLoopback(address) ? ["localhost", "127.0.0.1", "[::1]", address.lowercased()] : nil
    }

    /// Whether callers need a key now: `api_keys` is set or the client keys file exists (made while the server runs,
    /// it counts within a second).
    package var requiresKey: Bool { !apiKeys.isEmpty || (clientKeys?.isInForce ?? false) }

    /// Who a presented key is: a key of `api_keys`, a client key by name, or nobody.
    package func identify(_ key: String) -> KeyHolder? {
        if Self.matches(key, among: apiKeys) { return .configured }
        if let agentKey, Self.matches(key, among: [agentKey]) { return .serverAgents }
        return clientKeys?.match(key).map { .client($0.name) }
    }

    /// Whether a dashboard login still stands: one made with a client key ends when that key is revoked or expires.
    package func stillAccepts(_ session: DashboardSession) -> Bool {
        guard let name = session.clientKey else { return true }
        return clientKeys?.isCurrent(name: name) ?? false
    }

    /// Whether `key` is accepted, as either kind.
    package func accepts(_ key: String) -> Bool { identify(key) != nil }

    /// Whether `key` is one of `candidates`. Every key is compared in full, in time that depends only on the lengths,
    /// so the answer's timing tells nothing about how much of a key was right.
    static func matches(_ key: String, among candidates: some Sequence<String>) -> Bool {
        let presented = Array(key.utf8)
        var found = false
        for candidate in candidates {
            let expected = Array(candidate.utf8)
            var difference = UInt8(presented.count == expected.count ? 0 : 1)
            for index in 0..<max(presented.count, expected.count) {
                let left = index < presented.count ? presented[index] : 0
                let right = index < expected.count ? expected[index] : 0
                difference |= left ^ right
            }
            found = found || difference == 0
        }
        return found
    }

    /// Whether a path belongs to the dashboard (pages, assets, its JSON APIs), where a login session is accepted in
    /// place of a key. The proxy's API never accepts a session.
    static func isDashboard(_ path: String) -> Bool {
        dashboardPages.contains(path) || path == "/logout" || path.hasPrefix("/assets/") || path.hasPrefix("/api/")
    }

    /// The dashboard's pages: opened by a browser, which is sent to `/login` when it has no session.
    static let dashboardPages: Set<String> = ["/", "/requests", "/usage", "/code-agent-manager", "/agent"]

    /// Whether a browser's `Origin` names the server it is talking to (CSRF from other sites is refused).
    static func sameOrigin(_ origin: String, host: String?) -> Bool {
        guard let host else { return false }
        let withoutScheme = origin.lowercased().split(separator: "://", maxSplits: 1).last.map(String.init) ?? ""
        return withoutScheme == host.lowercased()
    }

    /// The host name of a `Host` value without its port (`[::1]:80` → `[::1]`).
    static func hostName(_ authority: String) -> String {
        let lowered = authority.lowercased()
        if lowered.hasPrefix("["), let close = lowered.firstIndex(of: "]") { return String(lowered[...close]) }
        return String(lowered.prefix { $0 != ":" })
    }

    /// Whether an address only accepts connections from this machine.
    package static func isLoopback(_ address: String) -> Bool {
        let lowered = address.lowercased()
        return lowered == "localhost" || lowered == "::1" || lowered == "[::1]" || lowered.hasPrefix("127.")
    }

    /// Why `serve` must refuse to start with these settings, if it must.
    /// - Parameters:
    ///   - hasClientKeys: whether `ghc-api keys add` has made a key.
    package static func refusal(address: String, apiKeys: [String], hasClientKeys: Bool = false, insecureNoAuth: Bool) -> String? {
        guard !isLoopback(address), apiKeys.isEmpty, !hasClientKeys, !insecureNoAuth else { return nil }
        return "refusing to listen on \(address) without API keys: anyone who can reach it could use your Copilot account. "
            + "Make one with `ghc-api keys add NAME`, set api_keys in config.yaml, or pass --insecure-no-auth if the network is yours alone."
    }
}

/// Applies `ServerSecurity` to every request, answering refusals in the dialect of the route.
struct SecurityMiddleware<Context: SessionRequestContext<DashboardSession> & CallerRequestContext>: RouterMiddleware {
    /// The rules applied.
    let security: ServerSecurity

    /// Refuses a request without `Host` (400), a disallowed `Host` (403), a request from another site's page on any
    /// route (403: API clients send no `Origin`, browsers always do), or a missing or wrong API key (401); else
    /// passes the request on.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let dialect = APIDialect.of(path: request.uri.path)
        guard let host = request.head.authority, !host.isEmpty else {
            throw ProxyError(
                .badRequest,
                type: "invalid_request_error",
                code: "host_required",
                message: "a Host header is required",
                dialect: dialect
            )
        }
        if let allowed = security.allowedHosts, !allowed.contains(ServerSecurity.hostName(host)) {
            throw ProxyError(
                .forbidden,
                type: "permission_error",
                code: "host_not_allowed",
                message: "Host '\(host)' is not allowed; call the server by its listen address",
                dialect: dialect
            )
        }
        if let origin = request.headers[.origin], !ServerSecurity.sameOrigin(origin, host: host) {
            throw ProxyError(
                .forbidden,
                type: "permission_error",
                code: "origin_not_allowed",
                message: "requests from the web page at '\(origin)' are refused",
                dialect: dialect
            )
        }
        // A login made with a client key ends with the key: revoked or expired, the browser is logged out.
        if let session = context.sessions.session, !security.stillAccepts(session) { context.sessions.clearSession() }
        guard security.requiresKey else { return try await next(request, context) }
        var presented = request.headers[.authorization].flatMap { $0.lowercased().hasPrefix("bearer ") ? String($0.dropFirst(7)) : nil }
        if presented == nil { presented = request.headers[HTTPField.Name("x-api-key")!] }
        if let presented, let holder = security.identify(presented.trimmedWhitespace) {
            var context = context
            context.clientKeyName = holder.recordName
            return try await next(request, context)
        }
        let path = request.uri.path
        if DashboardLogin.openPaths.contains(path) || HealthRoutes.paths.contains(path)
            || (ServerSecurity.isDashboard(path) && context.sessions.session != nil)
        {
            return try await next(request, context)
        }
        if request.method == .get, ServerSecurity.dashboardPages.contains(path) { return DashboardLogin.redirect(to: "/login") }
        throw ProxyError(
            .unauthorized,
            type: "authentication_error",
            code: "invalid_api_key",
            message: "a valid API key is required (Authorization: Bearer KEY or x-api-key: KEY; the dashboard: log in at /login)",
            dialect: dialect
        )
    }
}
