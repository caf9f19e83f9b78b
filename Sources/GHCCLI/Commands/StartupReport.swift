import GHCCore
import GHCProxy
import GHCServer
import GHCUpstream
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `serve` learns before it starts listening: the account and the model count, or why they are missing.
struct StartupReport: Sendable {
    /// Who is logged in, as the banner shows it: the GitHub login and Copilot plan, else where the token came from, or `not logged in`.
    var account: String
    /// How many models the catalog lists, or `unknown`.
    var models: String
    /// Why the account or the models are missing, if they are.
    var problem: String?
    /// Premium requests left and the reset date, when GitHub reports the quota.
    var quota: String?

    /// Asks GitHub and Copilot, waiting at most `limit`; failures are reported, never fatal.
    static func gather(parts: ServerParts, settings: ServerSettings, limit: Duration = .seconds(3)) async -> StartupReport {
        // Whichever comes first answers; a slow lookup goes on in the background and warms the caches.
        await withCheckedContinuation { continuation in
            let first = FirstAnswer(continuation)
            Task { first.answer(await ask(parts: parts, settings: settings)) }
            Task {
                try? await Task.sleep(for: limit)
                first.answer(
                    StartupReport(
                        account: "unknown",
                        models: "unknown",
                        problem: "GitHub or Copilot did not answer within \(limit); requests will try again"
                    )
                )
            }
        }
    }

    private static func ask(parts: ServerParts, settings: ServerSettings) async -> StartupReport {
        let tokens = parts.services.copilot.tokens
        let credential = await tokens.githubCredential ?? settings.reloadCredential?()
        guard let credential else {
            return StartupReport(
                account: "not logged in",
                models: "unknown",
                problem: "run `ghc-api auth login`; until then the API answers 401"
            )
        }
        let http = UpstreamHTTP(client: parts.httpClient)
        let identity = UpstreamIdentity(config: settings.config)
        async let account = try? GitHubAccount.fetch(
            http: http,
            githubAPIBaseURL: settings.config.githubAPIBaseURL,
            identity: identity,
            githubToken: credential.token
        )
        async let quota = try? CopilotQuota.fetch(
            http: http,
            githubAPIBaseURL: settings.config.githubAPIBaseURL,
            identity: identity,
            githubToken: credential.token
        )
        let catalog: Result<ModelCatalogSnapshot, UpstreamError>
        do {
            catalog = .success(try await parts.services.catalog.snapshot())
        } catch {
            catalog = .failure(error)
        }
        let who = await account
        var report = StartupReport(
            account: who.map { "\($0.login)" + ($0.copilotPlan.map { " (\($0))" } ?? "") } ?? "token from \(credential.source.rawValue)",
            models: "unknown",
            quota: await quota?.summary(now: Date())
        )
        switch catalog {
        case .success(let snapshot): report.models = "\(snapshot.models.count)"
        case .failure(let error): report.problem = error.description
        }
        return report
    }

    /// The lines printed once the server listens.
    func banner(address: String, port: Int, demoUpstream: String?, apiKeysRequired: Bool, style: TextStyle) -> String {
        let host = address.contains(":") && !address.hasPrefix("[") ? "[\(address)]" : address
        let base = "http://\(host):\(port)"
        var lines = [style.bold("ghc-api \(GHCVersion.current) listening on \(base)"), "  Dashboard: \(base)/  (every request, live)"]
        if let demoUpstream {
            lines.append(
                style.yellow("DEMO: answers come from a built-in stand-in for GitHub and Copilot at \(demoUpstream), not from your account")
            )
        }
        lines.append("  Account:  \(account)")
        lines.append("  Models:   \(models) (GET \(base)/v1/models)")
        if let quota { lines.append("  Quota:    \(quota)") }
        if let problem { lines.append(style.yellow("  Problem:  \(problem)")) }
        lines.append("  Point the OpenAI SDK or Codex at it:")
        lines.append("    export OPENAI_BASE_URL=\(base)/v1")
        lines.append("    export OPENAI_API_KEY=\(apiKeysRequired ? "<your API key>" : "any-value")")
        lines.append("  Point Claude Code or the Anthropic SDK at it:")
        lines.append("    export ANTHROPIC_BASE_URL=\(base)")
        lines.append("    export ANTHROPIC_AUTH_TOKEN=\(apiKeysRequired ? "<your API key>" : "any-value")")
        lines.append("  Stop with Ctrl-C.")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// Resumes a continuation with the first answer given; later answers are dropped.
final class FirstAnswer<Value: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<Value, Never>?>

    /// Waits to resume `continuation` with the first answer.
    init(_ continuation: CheckedContinuation<Value, Never>) {
        self.continuation = Mutex(continuation)
    }

    /// Resumes the continuation with `value` unless an answer came before.
    func answer(_ value: Value) {
        continuation.withLock { $0.take() }?.resume(returning: value)
    }
}
