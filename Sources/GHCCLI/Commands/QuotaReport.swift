import GHCCore
import GHCUpstream

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `ghc-api usage --quota`: the Copilot plan and its quotas.
enum QuotaReport {
    /// Prints the quotas; exits 1 with the login hint without a working login.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext, loaded: LoadedConfig) async throws -> ExitCode {
        guard let credential = try loaded.credential(context) else {
            throw CommandFailure("not logged in to GitHub; run `ghc-api auth login` (or set GITHUB_TOKEN)")
        }
        let quota: CopilotQuota
        do {
            quota = try await CopilotQuota.fetch(
                http: context.http,
                githubAPIBaseURL: loaded.config.githubAPIBaseURL,
                identity: UpstreamIdentity(config: loaded.config),
                githubToken: credential.token
            )
        } catch {
            guard case .githubTokenRejected = error else { throw error }
            throw CommandFailure("GitHub refused the saved token; run `ghc-api auth login`")
        }
        let now = context.now()
        if arguments.has("json") {
            context.stdout.line(quota.json(now: now).jsonString(pretty: true))
            return .success
        }
        context.stdout.line("Plan:   \(quota.plan ?? "unknown")")
        if let reset = quota.resetDate {
            context.stdout.line("Resets: \(reset)" + (quota.daysToReset(now: now).map { " (in \($0) days)" } ?? ""))
        }
        context.stdout.line("")
        let labels = ["premium_interactions": "premium requests", "chat": "chat", "completions": "completions"]
        for snapshot in quota.snapshots {
            let label = (labels[snapshot.name] ?? snapshot.name).padding(18)
            if snapshot.unlimited {
                context.stdout.line("\(label)unlimited")
                continue
            }
            let percentUsed = snapshot.entitlement > 0 ? snapshot.used / snapshot.entitlement * 100 : 0
            var text = "\(label)\(number(snapshot.used)) of \(number(snapshot.entitlement)) used, \(number(snapshot.remaining)) left "
            text += "(\(oneDecimal(percentUsed))% used, \(oneDecimal(snapshot.percentRemaining))% left)"
            if snapshot.overageCount > 0 || snapshot.overagePermitted {
                text += "; overage \(number(snapshot.overageCount))" + (snapshot.overagePermitted ? " (allowed)" : " (not allowed)")
            }
            context.stdout.line(text)
        }
        if quota.snapshots.isEmpty { context.stdout.line("GitHub reported no quotas for this plan.") }
        return .success
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() ? UsageTable.grouped(Int(value)) : String(oneDecimal(value))
    }

    private static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
