import GHCCore

/// What GitHub says about the logged-in account: the login and the Copilot plan.
package struct GitHubAccount: Sendable, Equatable {
    /// The GitHub login.
    package let login: String
    /// `copilot_plan` from `/copilot_internal/user` (`individual`, `business`, …), when GitHub answers it.
    package let copilotPlan: String?

    /// Asks `{ghapi}/user` and `{ghapi}/copilot_internal/user`.
    package static func fetch(
        http: UpstreamHTTP,
        githubAPIBaseURL: String,
        identity: UpstreamIdentity,
        githubToken: String
    ) async throws(UpstreamError) -> GitHubAccount {
        let headers = identity.githubHeaders(githubToken: githubToken)
        let userURL = githubAPIBaseURL + "/user"
        let user = try await http.send(UpstreamRequest(method: "GET", url: userURL, headers: headers))
        switch user.status {
        case 200..<300: break
        case 401, 403: throw .githubTokenRejected(status: user.status, detail: "")
        default: throw .status(url: userURL, code: user.status, body: Redaction.scrub(String(user.text.prefix(200))))
        }
        guard let login = try user.json(url: userURL)["login"]?.stringValue else {
            throw .invalidResponse(url: userURL, reason: "no login")
        }
        let planURL = githubAPIBaseURL + "/copilot_internal/user"
        let plan = try? await http.send(UpstreamRequest(method: "GET", url: planURL, headers: headers))
        let planName = plan.flatMap { (200..<300).contains($0.status) ? (try? $0.json(url: planURL))?["copilot_plan"]?.stringValue : nil }
        return GitHubAccount(login: login, copilotPlan: planName)
    }
}
