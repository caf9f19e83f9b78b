import GHCCore
import GHCUpstream

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `auth status` found out.
struct AuthStatusReport: Sendable {
    /// Whether a GitHub token was found.
    var loggedIn = false
    /// Where the token came from (`environment` or `file`), or `unconfigured`.
    var source: String = "unconfigured"
    /// The path of the saved token file.
    var tokenFile: String
    /// A short, safe prefix of the token.
    var tokenPrefix: String?
    /// The GitHub login the token belongs to.
    var login: String?
    /// The account's Copilot plan, when GitHub reports one.
    var copilotPlan: String?
    /// The Copilot API base URL that came with the Copilot token.
    var copilotAPIBaseURL: String?
    /// When the Copilot token expires.
    var copilotTokenExpiresAt: Date?
    /// Why the login is not usable, if it is not.
    var error: String?

    /// Resolves the token, asks GitHub who it belongs to, and exchanges it for a Copilot token.
    static func gather(_ loaded: LoadedConfig, _ context: CommandContext) async -> AuthStatusReport {
        var report = AuthStatusReport(tokenFile: loaded.location.githubTokenFile)
        let credential: GitHubCredential?
        do {
            credential = try loaded.credential(context)
        } catch {
            report.error = error.description
            return report
        }
        guard let credential else {
            report.error = UpstreamError.notLoggedIn.description
            return report
        }
        report.loggedIn = true
        report.source = credential.source.rawValue
        report.tokenPrefix = Redaction.prefix(of: credential.token)
        let identity = UpstreamIdentity(config: loaded.config)
        do {
            let account = try await GitHubAccount.fetch(
                http: context.http,
                githubAPIBaseURL: loaded.config.githubAPIBaseURL,
                identity: identity,
                githubToken: credential.token
            )
            report.login = account.login
            report.copilotPlan = account.copilotPlan
            let token = try await loaded.tokenManager(context, credential: credential).token()
            report.copilotAPIBaseURL = token.apiBaseURL
            report.copilotTokenExpiresAt = token.expiresAt
        } catch {
            report.error = error.description
        }
        return report
    }

    /// The report as the JSON object `auth status --json` prints.
    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "logged_in": .bool(loggedIn), "source": .string(source), "token_file": .string(tokenFile),
            "token_prefix": optional(tokenPrefix),
            "login": optional(login), "copilot_plan": optional(copilotPlan), "copilot_api_base_url": optional(copilotAPIBaseURL),
            "copilot_token_expires_at": optional(copilotTokenExpiresAt.map(Timestamp.iso8601)), "error": optional(error),
        ]
    }

    /// The report as aligned rows for the terminal, with any problem last.
    func text(style: TextStyle) -> String {
        var rows: [(String, String)] = [("Token source", source == "file" ? "file (\(tokenFile))" : source)]
        if let tokenPrefix { rows.append(("Token", tokenPrefix)) }
        if let login { rows.append(("GitHub login", login)) }
        if let copilotPlan { rows.append(("Copilot plan", copilotPlan)) }
        if let copilotAPIBaseURL { rows.append(("Copilot API", copilotAPIBaseURL)) }
        if let copilotTokenExpiresAt { rows.append(("Copilot token expires", Timestamp.iso8601(copilotTokenExpiresAt))) }
        let width = rows.map(\.0.count).max() ?? 0
        var out = rows.map { style.bold($0.0.padding(width)) + "  " + $0.1 }.joined(separator: "\n") + "\n"
        if let error { out += style.red("Problem") + ": " + error + "\n" }
        return out
    }
}
