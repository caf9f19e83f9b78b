import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Copilot plan and its quotas, from `GET {ghapi}/copilot_internal/user`.
package struct CopilotQuota: Sendable, Equatable {
    /// One quota: chat, completions or premium interactions.
    package struct Snapshot: Sendable, Equatable {
        /// `chat`, `completions` or `premium_interactions`.
        package var name: String
        /// The monthly allowance (0 when unlimited).
        package var entitlement: Double
        /// What is left.
        package var remaining: Double
        /// What is left, in percent.
        package var percentRemaining: Double
        /// Whether there is no limit.
        package var unlimited: Bool
        /// Requests beyond the allowance.
        package var overageCount: Double
        /// Whether requests beyond the allowance are allowed (and billed).
        package var overagePermitted: Bool

        /// What was used.
        package var used: Double { max(0, entitlement - remaining) }

        /// `{name, entitlement, used, remaining, percent_remaining, unlimited, overage_count, overage_permitted}`.
        package var json: JSONValue {
            [
                "name": .string(name), "entitlement": .double(entitlement), "used": .double(used), "remaining": .double(remaining),
                "percent_remaining": .double(percentRemaining), "unlimited": .bool(unlimited), "overage_count": .double(overageCount),
                "overage_permitted": .bool(overagePermitted),
            ]
        }
    }

    /// `copilot_plan` (`individual`, `individual_pro`, `business`, …).
    package var plan: String?
    /// The quotas GitHub reported, in the order chat, completions, premium interactions.
    package var snapshots: [Snapshot]
    /// `quota_reset_date` (`YYYY-MM-DD`).
    package var resetDate: String?

    /// The names of the quotas, in the order they are shown.
    package static let names = ["premium_interactions", "chat", "completions"]

    /// Reads the document; missing snapshots are left out, unknown numbers are 0.
    package init(json: JSONValue) {
        plan = json["copilot_plan"]?.stringValue
        resetDate = json["quota_reset_date"]?.stringValue ?? json["quota_reset_date_utc"]?.stringValue.map { String($0.prefix(10)) }
        snapshots = Self.names.compactMap { name in
            guard let snapshot = json["quota_snapshots"]?[name], case .object = snapshot else { return nil }
            func number(_ key: String) -> Double { snapshot[key]?.doubleValue ?? snapshot[key]?.intValue.map(Double.init) ?? 0 }
            return Snapshot(
                name: name,
                entitlement: number("entitlement"),
                remaining: snapshot["quota_remaining"]?.doubleValue ?? number("remaining"),
                percentRemaining: number("percent_remaining"),
                unlimited: snapshot["unlimited"]?.boolValue ?? false,
                overageCount: number("overage_count"),
                overagePermitted: snapshot["overage_permitted"]?.boolValue ?? false
            )
        }
    }

    /// Days from `now` to the reset date (UTC midnight), when it is known.
    package func daysToReset(now: Date) -> Int? {
        guard let resetDate, let date = try? Date(resetDate + "T00:00:00Z", strategy: .iso8601) else { return nil }
        return max(0, Int((date.timeIntervalSince(now) / 86_400).rounded(.up)))
    }

    /// `{plan, reset_date, days_to_reset, quotas: [...]}`.
    package func json(now: Date) -> JSONValue {
        [
            "plan": plan.map(JSONValue.string) ?? .null, "reset_date": resetDate.map(JSONValue.string) ?? .null,
            "days_to_reset": daysToReset(now: now).map(JSONValue.int) ?? .null, "quotas": .array(snapshots.map(\.json)),
        ]
    }

    /// One line: premium requests left and the reset date.
    package func summary(now: Date) -> String {
        guard let premium = snapshots.first(where: { $0.name == "premium_interactions" }) else {
            return "Copilot plan \(plan ?? "unknown"): no premium request quota reported"
        }
        let left =
            premium.unlimited
            ? "unlimited premium requests" : "\(Int(premium.remaining)) of \(Int(premium.entitlement)) premium requests left"
        let reset = resetDate.map { " until \($0)" + (daysToReset(now: now).map { " (\($0) days)" } ?? "") } ?? ""
        return "Copilot \(plan ?? "plan"): \(left)\(reset)"
    }

    /// Asks GitHub with the user's GitHub token.
    package static func fetch(
        http: UpstreamHTTP,
        githubAPIBaseURL: String,
        identity: UpstreamIdentity,
        githubToken: String
    ) async throws(UpstreamError) -> CopilotQuota {
        let url = githubAPIBaseURL + "/copilot_internal/user"
        let response = try await http.send(
            UpstreamRequest(method: "GET", url: url, headers: identity.githubHeaders(githubToken: githubToken))
        )
        switch response.status {
        case 200..<300: return CopilotQuota(json: try response.json(url: url))
        case 401, 403: throw .githubTokenRejected(status: response.status, detail: "")
        default: throw .status(url: url, code: response.status, body: Redaction.scrub(String(response.text.prefix(200))))
        }
    }
}
