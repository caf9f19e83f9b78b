/// What the stand-in upstream does: how the device flow answers, how long tokens live, and scripted faults.
/// It is `Codable` so tests in other languages can set it over HTTP (`PUT /_standin/scenario`).
package struct StandInScenario: Sendable, Codable, Equatable {
    /// Answers to successive device-token polls (`authorization_pending`, `slow_down`, `access_denied`,
    /// `expired_token`); once used up, polls succeed.
    package var devicePollOutcomes: [String]
    /// The `interval` the device code answer names, in seconds.
    package var deviceInterval: Int
    /// The `expires_in` the device code answer names, in seconds.
    package var deviceExpiresIn: Int
    /// GitHub tokens the stand-in accepts (the device flow issues the first).
    package var acceptedGitHubTokens: [String]
    /// The `refresh_in` of issued Copilot tokens, in seconds.
    package var copilotTokenRefreshIn: Int
    /// The GitHub login `/user` reports.
    package var login: String
    /// The quotas `/copilot_internal/user` reports: `limited` (300 premium requests, chat and completions unlimited),
    /// `unlimited` (every quota unlimited) or `none` (no `quota_snapshots`).
    package var quota: String
    /// The `copilot_plan` `/copilot_internal/user` reports.
    package var copilotPlan: String
    /// Milliseconds between streamed events.
    package var streamEventDelayMilliseconds: Int
    /// Scripted faults, tried in order; the first that matches a request applies.
    package var faults: [StandInFault]

    /// The default scenario: a user who logs in after one pending poll, 25-minute tokens, no faults.
    package init(
        devicePollOutcomes: [String] = ["authorization_pending"],
        deviceInterval: Int = 0,
        deviceExpiresIn: Int = 900,
        acceptedGitHubTokens: [String] = [StandInScenario.githubToken],
        copilotTokenRefreshIn: Int = 1500,
        login: String = "octocat",
        copilotPlan: String = "individual",
        streamEventDelayMilliseconds: Int = 0,
        faults: [StandInFault] = [],
        quota: String = "limited"
    ) {
        self.quota = quota
        self.devicePollOutcomes = devicePollOutcomes
        self.deviceInterval = deviceInterval
        self.deviceExpiresIn = deviceExpiresIn
        self.acceptedGitHubTokens = acceptedGitHubTokens
        self.copilotTokenRefreshIn = copilotTokenRefreshIn
        self.login = login
        self.copilotPlan = copilotPlan
        self.streamEventDelayMilliseconds = streamEventDelayMilliseconds
        self.faults = faults
    }

    /// The GitHub token the stand-in issues and accepts by default.
    package static let githubToken = "gho_standin0123456789abcdefghijklmnopq"

    /// The JSON names of the fields, in snake_case.
    enum CodingKeys: String, CodingKey {
        case devicePollOutcomes = "device_poll_outcomes"
        case deviceInterval = "device_interval"
        case deviceExpiresIn = "device_expires_in"
        case acceptedGitHubTokens = "accepted_github_tokens"
        case copilotTokenRefreshIn = "copilot_token_refresh_in"
        case login
        case copilotPlan = "copilot_plan"
        case streamEventDelayMilliseconds = "stream_event_delay_ms"
        case faults
        case quota
    }

    /// Decodes a scenario; absent fields take their defaults.
    package init(from decoder: any Decoder) throws {
        let defaults = StandInScenario()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        devicePollOutcomes = try c.decodeIfPresent([String].self, forKey: .devicePollOutcomes) ?? defaults.devicePollOutcomes
        deviceInterval = try c.decodeIfPresent(Int.self, forKey: .deviceInterval) ?? defaults.deviceInterval
        deviceExpiresIn = try c.decodeIfPresent(Int.self, forKey: .deviceExpiresIn) ?? defaults.deviceExpiresIn
        acceptedGitHubTokens = try c.decodeIfPresent([String].self, forKey: .acceptedGitHubTokens) ?? defaults.acceptedGitHubTokens
        copilotTokenRefreshIn = try c.decodeIfPresent(Int.self, forKey: .copilotTokenRefreshIn) ?? defaults.copilotTokenRefreshIn
        login = try c.decodeIfPresent(String.self, forKey: .login) ?? defaults.login
        copilotPlan = try c.decodeIfPresent(String.self, forKey: .copilotPlan) ?? defaults.copilotPlan
        streamEventDelayMilliseconds =
            try c.decodeIfPresent(Int.self, forKey: .streamEventDelayMilliseconds) ?? defaults.streamEventDelayMilliseconds
        faults = try c.decodeIfPresent([StandInFault].self, forKey: .faults) ?? defaults.faults
        quota = try c.decodeIfPresent(String.self, forKey: .quota) ?? defaults.quota
    }
}

/// One scripted misbehaviour of the stand-in.
package struct StandInFault: Sendable, Codable, Equatable {
    /// What happens.
    package enum Action: String, Sendable, Codable {
        /// Answer `status` with `body` (and `Retry-After` when set).
        case status
        /// Wait `delay_ms` before answering normally.
        case delay
        /// For streams: send `after_events` events, then close the connection.
        case dropMidStream = "drop_mid_stream"
        /// For streams: send `after_events` events, then a line that is not JSON, then carry on.
        case malformedLine = "malformed_line"
        /// For streams: send `after_events` events, then go silent for `delay_ms`.
        case stall
        /// For Responses streams: `response.created`, then `response.failed` before any output (and an `error` event
        /// with `body` as its message when a body is given), as Copilot sometimes answers.
        case failEarly = "fail_early"
    }

    /// The request path it applies to, such as `/chat/completions`.
    package var path: String
    /// What to do.
    package var action: Action
    /// The 1-based numbers of calls to `path` it applies to; empty for every call.
    package var calls: [Int]
    /// For `status`.
    package var status: Int
    /// For `status`: the body.
    package var body: String?
    /// For `status`: a `Retry-After` value.
    package var retryAfter: String?
    /// For `delay` and `stall`.
    package var delayMilliseconds: Int
    /// For the stream faults.
    package var afterEvents: Int

    /// Creates a fault.
    package init(
        path: String,
        action: Action,
        calls: [Int] = [],
        status: Int = 500,
        body: String? = nil,
        retryAfter: String? = nil,
        delayMilliseconds: Int = 0,
        afterEvents: Int = 0
    ) {
        self.path = path
        self.action = action
        self.calls = calls
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
        self.delayMilliseconds = delayMilliseconds
        self.afterEvents = afterEvents
    }

    /// The JSON names of the fields, in snake_case.
    enum CodingKeys: String, CodingKey {
        case path, action, calls, status, body
        case retryAfter = "retry_after"
        case delayMilliseconds = "delay_ms"
        case afterEvents = "after_events"
    }

    /// Decodes a fault; only `path` and `action` are required.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        action = try c.decode(Action.self, forKey: .action)
        calls = try c.decodeIfPresent([Int].self, forKey: .calls) ?? []
        status = try c.decodeIfPresent(Int.self, forKey: .status) ?? 500
        body = try c.decodeIfPresent(String.self, forKey: .body)
        retryAfter = try c.decodeIfPresent(String.self, forKey: .retryAfter)
        delayMilliseconds = try c.decodeIfPresent(Int.self, forKey: .delayMilliseconds) ?? 0
        afterEvents = try c.decodeIfPresent(Int.self, forKey: .afterEvents) ?? 0
    }

    /// Whether it applies to call number `call` of `path`.
    func applies(to path: String, call: Int) -> Bool {
        self.path == path && (calls.isEmpty || calls.contains(call))
    }
}
