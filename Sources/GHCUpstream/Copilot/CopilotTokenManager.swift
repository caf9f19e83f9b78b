import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Exchanges the GitHub token for Copilot tokens and keeps one fresh.
///
/// A token is renewed a minute before Copilot's `refresh_in` runs out; any number of
/// concurrent callers share one exchange; network failures and 5xx answers are retried with backoff; a 401 from
/// Copilot can ask for a new token at once with `refreshNow()`.
package actor CopilotTokenManager {
    /// Where and how to exchange.
    package struct Settings: Sendable {
        /// GitHub API base, such as `https://api.github.com`.
        package var githubAPIBaseURL: String
        /// `copilot_api_base_url`, which wins over the token's `endpoints.api`.
        package var copilotAPIBaseOverride: String?
        /// Used when neither the override nor the token names an API base.
        package var copilotAPIBaseFallback: String
        /// Editor identity for the headers.
        package var identity: UpstreamIdentity
        /// Attempts per exchange (first try included) on network failures and 5xx.
        package var maxAttempts: Int = 4

        /// Settings from the configuration.
        package init(config: GHCConfig) {
            githubAPIBaseURL = config.githubAPIBaseURL
            copilotAPIBaseOverride = config.copilotAPIBaseURLOverride
            copilotAPIBaseFallback = config.copilotAPIBaseURLForAccount
            identity = UpstreamIdentity(config: config)
            maxAttempts = config.maxConnectionRetries + 1
        }
    }

    private let http: UpstreamHTTP
    private let settings: Settings
    private let now: @Sendable () -> Date
    private let sleep: @Sendable (Duration) async throws -> Void
    private var credential: GitHubCredential?
    private let reload: (@Sendable () -> GitHubCredential?)?
    private let cache = SingleFlight<CopilotToken>()
    private let exchanged: @Sendable (Bool) -> Void

    /// Creates a manager.
    /// - Parameters:
    ///   - credential: the GitHub token, or `nil` when not logged in (every call then fails with `.notLoggedIn`).
    ///   - reload: reads the credential again (env, token file); asked when there is none or GitHub rejected it,
    ///     so a long-running server picks up an `auth login` done meanwhile.
    ///   - now: the clock; tests move it.
    ///   - sleep: the backoff wait; tests make it instant.
    ///   - exchanged: told whether each exchange with GitHub (retries included) ended with a token (metrics).
    package init(
        http: UpstreamHTTP,
        settings: Settings,
        credential: GitHubCredential?,
        reload: (@Sendable () -> GitHubCredential?)? = nil,
        now: @escaping @Sendable () -> Date = { Date() },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        exchanged: @escaping @Sendable (Bool) -> Void = { _ in }
    ) {
        self.exchanged = exchanged
        self.http = http
        self.settings = settings
        self.credential = credential
        self.reload = reload
        self.now = now
        self.sleep = sleep
    }

    /// The GitHub credential in use.
    package var githubCredential: GitHubCredential? { credential }

    /// The Copilot token held now, if it has not expired, without exchanging one.
    package var heldToken: CopilotToken? {
        get async {
            guard let token = await cache.current, now() < token.expiresAt else { return nil }
            return token
        }
    }

    /// Replaces the GitHub token (after a login) and drops the Copilot token made from the old one.
    package func setCredential(_ credential: GitHubCredential?) async {
        self.credential = credential
        await cache.invalidate()
    }

    /// A token that is valid now, exchanging a new one when needed.
    package func token() async throws(UpstreamError) -> CopilotToken {
        try await load(force: false)
    }

    /// Exchanges a new token now (for example after Copilot answered 401), unless an exchange is already running.
    @discardableResult
    package func refreshNow() async throws(UpstreamError) -> CopilotToken {
        try await load(force: true)
    }

    private func load(force: Bool) async throws(UpstreamError) -> CopilotToken {
        if credential == nil, let reload { credential = reload() }
        guard let current = credential else { throw .notLoggedIn }
        do {
            return try await exchange(with: current, force: force)
        } catch {
            guard case .githubTokenRejected = error, let fresh = reload?(), fresh != current else { throw error }
            credential = fresh
            return try await exchange(with: fresh, force: true)
        }
    }

    private func exchange(with credential: GitHubCredential, force: Bool) async throws(UpstreamError) -> CopilotToken {
        let now = self.now
        let exchange = Exchange(http: http, settings: settings, now: now, sleep: sleep, exchanged: exchanged)
        do {
            return try await cache.value(
                force: force,
                isFresh: { now() < $0.refreshAfter },
                load: { try await exchange.run(githubToken: credential.token) }
            )
        } catch {
            throw .from(error, url: settings.githubAPIBaseURL)
        }
    }
}

/// One token exchange with its retries, outside the actor so waiting callers do not block it.
private struct Exchange: Sendable {
    /// Sends the exchange request.
    let http: UpstreamHTTP
    /// Where to exchange, with which identity, and how many attempts to make.
    let settings: CopilotTokenManager.Settings
    /// The clock the token's refresh time is reckoned from.
    let now: @Sendable () -> Date
    /// The backoff wait between attempts.
    let sleep: @Sendable (Duration) async throws -> Void
    /// Told whether the exchange ended with a token.
    let exchanged: @Sendable (Bool) -> Void

    /// Exchanges `githubToken` for a Copilot token, retrying transient failures with backoff (1, 2, 4, then 8 s) up to `maxAttempts` tries.
    func run(githubToken: String) async throws(UpstreamError) -> CopilotToken {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let token = try await once(githubToken: githubToken)
                exchanged(true)
                return token
            } catch  where error.isTransient && attempt < settings.maxAttempts {
                do {
                    try await sleep(RetryPolicy.exponential(attempt - 1))
                } catch {
                    throw UpstreamError.cancelled
                }
            } catch {
                exchanged(false)
                throw error
            }
        }
    }

    private func once(githubToken: String) async throws(UpstreamError) -> CopilotToken {
        let url = settings.githubAPIBaseURL + "/copilot_internal/v2/token"
        let response = try await http.send(
            UpstreamRequest(method: "GET", url: url, headers: settings.identity.githubHeaders(githubToken: githubToken))
        )
        switch response.status {
        case 200..<300: break
        case 401, 403:
            throw .githubTokenRejected(status: response.status, detail: Self.message(in: response))
        default:
            throw .status(url: url, code: response.status, body: Self.message(in: response))
        }
        let json = try response.json(url: url)
        guard let value = json["token"]?.stringValue, !value.isEmpty else {
            throw .invalidResponse(url: url, reason: "no token in the answer")
        }
        // Scheduling uses the relative `refresh_in` only, so a skewed local clock cannot make every token look stale;
        // `expires_at` (server time) is kept for display.
        let issued = now()
        let refreshIn = Double(json["refresh_in"]?.intValue ?? 1800)
        let refreshAfter = issued.addingTimeInterval(max(0, refreshIn - 60))
        let expiresAt = json["expires_at"]?.doubleValue.map { Date(timeIntervalSince1970: $0) } ?? issued.addingTimeInterval(refreshIn)
        let endpoint = json["endpoints"]?["api"]?.stringValue.map(URLText.trimmingTrailingSlashes)
        let base =
            settings.copilotAPIBaseOverride ?? endpoint.flatMap { URLText.isHTTPURL($0) ? $0 : nil } ?? settings.copilotAPIBaseFallback
        return CopilotToken(value: value, expiresAt: expiresAt, refreshAfter: refreshAfter, apiBaseURL: base, sku: json["sku"]?.stringValue)
    }

    /// GitHub's `message` field, or the start of the body.
    static func message(in response: UpstreamResponse) -> String {
        if let json = try? JSONValue.parse(response.body), let message = json["message"]?.stringValue { return Redaction.scrub(message) }
        return Redaction.scrub(String(response.text.prefix(200)))
    }
}
