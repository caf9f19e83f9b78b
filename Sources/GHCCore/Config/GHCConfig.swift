/// The effective configuration: what `config.yaml` says, with every absent key at its default.
package struct GHCConfig: Sendable {
    /// Checked values of the keys present in the file.
    package private(set) var explicitValues: [String: JSONValue]

    /// A configuration with every key at its default.
    package init() {
        explicitValues = [:]
    }

    /// A configuration from checked values.
    init(explicitValues: [String: JSONValue]) {
        self.explicitValues = explicitValues
    }

    /// Loads and checks a document; any error-level problem throws, warnings are returned.
    package static func load(_ document: ConfigDocument) throws(ConfigError) -> (config: GHCConfig, warnings: [ConfigProblem]) {
        let (config, problems) = check(document)
        if problems.contains(where: { $0.severity == .error }) { throw .invalid(problems) }
        return (config, problems)
    }

    /// Checks a document and returns the usable values and every problem found.
    package static func check(_ document: ConfigDocument) -> (config: GHCConfig, problems: [ConfigProblem]) {
        var validator = ConfigValidator(path: document.path)
        let values = validator.validate(document)
        return (GHCConfig(explicitValues: values), validator.problems)
    }

    /// The value of a key: the file's, else the default.
    package func value(_ key: String) -> JSONValue {
        explicitValues[key] ?? ConfigSchema.key(named: key)?.defaultValue ?? .null
    }

    /// Every key with its effective value.
    package var effectiveValues: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.name, value($0.name)) })
    }

    /// Sets a key in memory (command-line overrides such as `serve -p`).
    package mutating func override(_ key: String, _ value: JSONValue) {
        explicitValues[key] = value
    }

    private func string(_ key: String) -> String { value(key).stringValue ?? "" }
    private func int(_ key: String) -> Int { value(key).intValue ?? 0 }
    private func bool(_ key: String) -> Bool { value(key).boolValue ?? false }
    private func strings(_ key: String) -> [String] { value(key).arrayValue?.compactMap(\.stringValue) ?? [] }

    /// `address`
    package var address: String { string("address") }
    /// `port`
    package var port: Int { int("port") }
    /// `debug`
    package var debug: Bool { bool("debug") }
    /// `log_format`: `text` or `json`.
    package var logFormat: String { string("log_format") ?? "text" }
    /// `api_keys`
    package var apiKeys: [String] { strings("api_keys") }
    /// `max_request_body_size`
    package var maxRequestBodySize: Int { int("max_request_body_size") }
    /// `account_type`
    package var accountType: String { string("account_type") }
    /// `github_api_base_url`, trailing slashes removed, or `https://api.github.com`.
    package var githubAPIBaseURL: String {
        let text = URLText.trimmingTrailingSlashes(string("github_api_base_url"))
        return text.isEmpty ? "https://api.github.com" : text
    }
    /// `copilot_api_base_url`, trailing slashes removed, or `nil` when unset.
    package var copilotAPIBaseURLOverride: String? {
        let text = URLText.trimmingTrailingSlashes(string("copilot_api_base_url"))
        return text.isEmpty ? nil : text
    }
    /// The Copilot API base for the account type, used until a token names its own.
    package var copilotAPIBaseURLForAccount: String {
        switch accountType {
        case "", "individual": "https://api.githubcopilot.com"
        default: "https://api.\(accountType).githubcopilot.com"
        }
    }
    /// `github_base_url` when set; otherwise derived from the API base as ghc-api 1.0.31 does:
    /// `api.github.com` → `github.com`, `api.TENANT.ghe.com` → `TENANT.ghe.com`, else `nil` (device flow refused).
    package var githubWebBaseURL: String? {
        let explicit = URLText.trimmingTrailingSlashes(string("github_base_url"))
        if !explicit.isEmpty { return explicit }
        let api = githubAPIBaseURL
        if api == "https://api.github.com" { return "https://github.com" }
        let prefix = "https://api."
        if api.hasPrefix(prefix), api.hasSuffix(".ghe.com") {
            let host = api.dropFirst(prefix.count)
            if !host.contains("/"), !host.contains(":"), !host.contains("@"), host.split(separator: ".").count == 3 {
                return "https://" + host
            }
        }
        return nil
    }
    /// `vscode_version`
    package var vscodeVersion: String { string("vscode_version") }
    /// `api_version`
    package var apiVersion: String { string("api_version") }
    /// `copilot_version`
    package var copilotVersion: String { string("copilot_version") }
    /// `model_mappings`
    package var modelMappings: ModelMappings { ModelMappings(value("model_mappings")) }
    /// `system_prompt_remove`
    package var systemPromptRemove: [String] { strings("system_prompt_remove") }
    /// `system_prompt_add`
    package var systemPromptAdd: [String] { strings("system_prompt_add") }
    /// `tool_result_suffix_remove`
    package var toolResultSuffixRemove: [String] { strings("tool_result_suffix_remove") }
    /// `max_connection_retries`
    package var maxConnectionRetries: Int { int("max_connection_retries") }
    /// `upstream_read_timeout`, in seconds.
    package var upstreamReadTimeout: Int { int("upstream_read_timeout") }
    /// `enable_responses_early_failure_retry`
    package var replaysEarlyResponsesFailures: Bool { bool("enable_responses_early_failure_retry") }
    /// `auto_remove_encrypted_content_on_parse_error`
    package var removesUndecryptableContent: Bool { bool("auto_remove_encrypted_content_on_parse_error") }
    /// `anthropic_system_messages: pass`: Claude Code's `system` messages go to Copilot's `/v1/messages` as they are.
    package var passesSystemMessages: Bool { string("anthropic_system_messages") == "pass" }
    /// `sse_keepalive_interval`, in seconds; 0 is off.
    package var sseKeepaliveInterval: Int { int("sse_keepalive_interval") }
    /// `save_request_to_file`
    package var saveRequestToFile: Bool { bool("save_request_to_file") }
    /// `cache_max_entries`
    package var cacheMaxEntries: Int { int("cache_max_entries") }
    /// `cache_max_request_size`
    package var cacheMaxRequestSize: Int { int("cache_max_request_size") }
    /// `cache_max_bytes`
    package var cacheMaxBytes: Int { int("cache_max_bytes") }
    /// `disable_onedrive_access`
    package var disablesOneDrive: Bool { bool("disable_onedrive_access") }
    /// `onedrive_path`
    package var oneDrivePath: String { string("onedrive_path") }
    /// `machine_name`
    package var machineName: String { string("machine_name") }
    /// `acp_agents`: configured agents by name.
    package var acpAgents: JSONValue { value("acp_agents") }
    /// `agent_use_proxy`
    package var agentUsesProxy: Bool { bool("agent_use_proxy") }
    /// `session_flush_interval`, in seconds.
    package var sessionFlushInterval: Int { int("session_flush_interval") }
    /// `usage_report_interval`, in seconds.
    package var usageReportInterval: Int { int("usage_report_interval") }
    /// `history_enabled`
    package var historyEnabled: Bool { bool("history_enabled") }
    /// `history_max_days`
    package var historyMaxDays: Int { int("history_max_days") }
    /// `history_max_bytes`
    package var historyMaxBytes: Int { int("history_max_bytes") }
}
