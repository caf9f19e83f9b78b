import GHCCore
import GHCHTTP
import GHCKeys
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import NIOCore

/// A browser's login to the dashboard, kept server-side; the browser holds only an HttpOnly, `SameSite=Strict`
/// session cookie, since it cannot send a Bearer header on navigation or with `EventSource`.
package struct DashboardSession: Codable, Sendable, Equatable {
    /// The first characters of the key that was presented, for the log.
    package var keyPrefix: String
    /// The client key's name when the login used one (the session ends when that key is revoked); `nil` for a key
    /// of `api_keys`.
    package var clientKey: String?

    /// Creates a session.
    package init(keyPrefix: String, clientKey: String? = nil) {
        self.keyPrefix = keyPrefix
        self.clientKey = clientKey
    }
}

/// `GET/POST /login`, `POST /logout` and `GET /api/session`: the dashboard's login when API keys are required.
package struct DashboardLogin: Sendable {
    /// Whether a login is needed now (`api_keys` set, or a key made with `ghc-api keys add`).
    let required: @Sendable () -> Bool
    /// Whose a presented key is, when it is accepted (compared in constant time).
    let identify: @Sendable (String) -> KeyHolder?

    /// Creates the routes.
    package init(required: @escaping @Sendable () -> Bool, identify: @escaping @Sendable (String) -> KeyHolder?) {
        self.required = required
        self.identify = identify
    }

    /// The paths that answer without a login: the login page itself and its style.
    package static let openPaths: Set<String> = ["/login", "/assets/app.css", "/favicon.ico", "/api/session"]

    /// Adds the routes to `router`.
    package func add<Context: SessionRequestContext<DashboardSession>>(to router: Router<Context>) {
        router.get("/login") { _, _ in Self.page(error: nil, status: .ok) }
        router.post("/login") { request, context in try await logIn(request, context: context) }
        router.post("/logout") { _, context in
            context.sessions.clearSession()
            return Self.redirect(to: required() ? "/login" : "/")
        }
        router.get("/api/session") { _, context in
            JSONResponse.make(["login_required": .bool(required()), "logged_in": .bool(context.sessions.session != nil)])
        }
    }

    /// Checks the posted key; a good one starts a session and goes to the dashboard, a bad one shows the form again.
    func logIn<Context: SessionRequestContext<DashboardSession>>(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 16 << 10)
        let key = FormEncoding.decode(String(buffer: body))["key"]?.trimmedWhitespace ?? ""
        guard !key.isEmpty, let holder = identify(key) else {
            return Self.page(error: "That key is not accepted here (api_keys, or a key from ghc-api keys add).", status: .unauthorized)
        }
        context.sessions.createSession(
            DashboardSession(keyPrefix: Redaction.prefix(of: key), clientKey: holder.recordName),
            expiresIn: .seconds(12 * 60 * 60)
        )
        return Self.redirect(to: "/")
    }

    /// The login page, with an error line when the last try failed.
    static func page(error: String?, status: HTTPResponse.Status) -> Response {
        guard let error else { return DashboardRoutes.asset("login.html") }
        let line = "<p class=\"error\" role=\"alert\">\(error)</p>"
        return DashboardRoutes.asset("login.html", status: status) { $0.replacingAll("<!--error-->", with: line) }
    }

    /// A `303 See Other` to `location`.
    package static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }
}
