/// Every key of `config.yaml`: those of ghc-api 1.0.31 with their defaults, plus this version's own.
package enum ConfigSchema {
    /// The keys in the order `config init` writes them.
    package static let keys: [ConfigKey] = server + upstream + mapping + filtering + reliability + anthropicResponses + local + ignored

    /// Looks a key up by name.
    package static func key(named name: String) -> ConfigKey? { index[name] }

    private static let index: [String: ConfigKey] = Dictionary(keys.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })

    private static let server: [ConfigKey] = [
        ConfigKey(
            "address",
            .string,
            "127.0.0.1",
            section: "Server",
            "Address `serve` listens on; a non-loopback address requires `api_keys`."
        ),
        ConfigKey("port", .integer(min: 1, max: 65535), 8313, section: "Server", "Port `serve` listens on."),
        ConfigKey("debug", .bool, false, section: "Server", "Log every request at debug level (the same as `serve -v`)."),
        ConfigKey(
            "log_format",
            .choice(["text", "json"]),
            "text",
            section: "Server",
            "How `serve` writes its log to stderr: `text` lines, or `json`, one object per line (the same as `serve --log-format`)."
        ),
        ConfigKey(
            "api_keys",
            .stringList,
            [],
            section: "Server",
            "Keys clients must send (`Authorization: Bearer` or `x-api-key`); empty allows any loopback client."
        ),
        ConfigKey(
            "max_request_body_size",
            .integer(min: 1024, max: 1 << 30),
            .int(32 << 20),
            section: "Server",
            "Largest request body accepted, in bytes; larger ones get 413."
        ),
        ConfigKey(
            "server_threads",
            .integer(min: 1, max: 1024),
            16,
            section: "Server",
            "Thread pool size of the Python original; this server is event driven and needs none.",
            effect: .ignored("the Swift server is event driven; no thread pool to size")
        ),
    ]

    private static let upstream: [ConfigKey] = [
        ConfigKey(
            "account_type",
            .string,
            "individual",
            section: "Upstream",
            "Copilot plan host: individual, business or enterprise (or another `api.X.githubcopilot.com`)."
        ),
        ConfigKey(
            "github_api_base_url",
            .url,
            "",
            section: "Upstream",
            "GitHub API base (GitHub Enterprise: https://api.TENANT.ghe.com); empty for api.github.com."
        ),
        ConfigKey("copilot_api_base_url", .url, "", section: "Upstream", "Copilot API base; empty to use the one the Copilot token names."),
        ConfigKey(
            "github_base_url",
            .url,
            "",
            section: "Upstream",
            "GitHub web host for the device flow; empty to derive it from github_api_base_url."
        ),
        ConfigKey("vscode_version", .string, "1.93.0", section: "Upstream", "Sent as `Editor-Version: vscode/<v>`."),
        ConfigKey("api_version", .string, "2025-04-01", section: "Upstream", "Sent as `X-GitHub-Api-Version`."),
        ConfigKey(
            "copilot_version",
            .string,
            "0.26.7",
            section: "Upstream",
            "Sent as `Editor-Plugin-Version: copilot-chat/<v>` and in the User-Agent."
        ),
    ]

    /// No mappings by default: Claude Code's spellings (`claude-opus-5-5`, dated names, `[1m]`) and the bare
    /// family names are resolved against the live catalog instead of a table that goes stale (ghc-api 1.0.31 shipped
    /// one that sent `claude-sonnet-4-5-…` to `claude-sonnet-4`).
    package static let defaultModelMappings: JSONValue = ["exact": [:], "prefix": [:]]

    private static let mapping: [ConfigKey] = [
        ConfigKey(
            "model_mappings",
            .mappingTable,
            defaultModelMappings,
            section: "Models",
            "Client model names to Copilot ones: exact names first, then the longest matching prefix; they win over name resolution."
        ),
        ConfigKey(
            "anthropic_system_messages",
            .choice(["fold", "pass"]),
            "fold",
            section: "Models",
            "Claude Code's `system` messages on native /v1/messages: `fold` them into user turns as <system-reminder>, or `pass` them on."
        ),
        ConfigKey(
            "chat_completions_model_support",
            .listTable,
            ["exact": [], "prefix": ["gpt-", "mai-code-"]],
            section: "Models",
            "Models served on /v1/chat/completions through Copilot's Responses API; this version detects them from the catalog.",
            effect: .ignored("Responses-only models are detected from the catalog")
        ),
    ]

    private static let filtering: [ConfigKey] = [
        ConfigKey(
            "system_prompt_remove",
            .stringList,
            [],
            section: "Content filters",
            "Strings deleted from system prompts (/v1/messages)."
        ),
        ConfigKey(
            "tool_result_suffix_remove",
            .stringList,
            [],
            section: "Content filters",
            "Strings cut from the end of tool results (/v1/messages)."
        ),
        ConfigKey(
            "system_prompt_add",
            .stringList,
            [],
            section: "Content filters",
            "Paragraphs appended to system prompts (/v1/messages)."
        ),
    ]

    private static let reliability: [ConfigKey] = [
        ConfigKey(
            "max_connection_retries",
            .integer(min: 0, max: 20),
            3,
            section: "Reliability",
            "Retries of an upstream connection that failed before any byte was sent."
        ),
        ConfigKey(
            "upstream_read_timeout",
            .integer(min: 1, max: 86_400),
            1800,
            section: "Reliability",
            "Seconds an upstream may stay silent (head or stream) before the request fails."
        ),
        ConfigKey(
            "sse_keepalive_interval",
            .integer(min: 0, max: 3600),
            30,
            section: "Reliability",
            "Seconds of stream silence before a `: keepalive` comment; 0 turns it off."
        ),
        ConfigKey(
            "responses_pre_header_grace",
            .number(min: 0, max: 5),
            0.5,
            section: "Reliability",
            "Seconds to wait for Responses headers before sending keepalives.",
            effect: .ignored("streams keep their status until Copilot's headers arrive; keepalives follow sse_keepalive_interval")
        ),
        ConfigKey(
            "auto_remove_encrypted_content_on_parse_error",
            .bool,
            false,
            section: "Reliability",
            "Retry a /v1/responses request once without encrypted items Copilot could not decrypt."
        ),
        ConfigKey(
            "enable_responses_early_failure_retry",
            .bool,
            true,
            section: "Reliability",
            "Send a Responses stream again when it fails before any output (up to max_connection_retries times)."
        ),
        ConfigKey(
            "enable_tool_call_recovery",
            .bool,
            false,
            section: "Reliability",
            "Recover tool calls leaked as text on native Anthropic streams.",
            effect: .ignored(notYet)
        ),
    ]

    private static let anthropicResponses: [ConfigKey] = [
        ConfigKey(
            "anthropic_responses_compat_enabled",
            .bool,
            true,
            section: "Anthropic via Responses",
            "Serve /v1/messages for Responses-only models through Copilot's Responses API.",
            effect: .ignored("Responses-only models are always served through the Responses API; chat cannot serve them")
        ),
        ConfigKey(
            "anthropic_responses_wire_profile",
            .choice(["public_responses", "copilot_public_responses", "copilot_responses_lite"]),
            "copilot_responses_lite",
            section: "Anthropic via Responses",
            "Default wire profile for that path.",
            effect: .ignored("this version speaks the public Responses shape")
        ),
        ConfigKey(
            "anthropic_responses_model_profiles",
            .stringMap,
            ["gpt-5.6-sol": "copilot_responses_lite", "grok-*": "copilot_public_responses"],
            section: "Anthropic via Responses",
            "Wire profile per model (`*` matches any suffix).",
            effect: .ignored("this version speaks the public Responses shape")
        ),
    ]

    private static let local: [ConfigKey] = [
        ConfigKey(
            "save_request_to_file",
            .bool,
            false,
            section: "Local features",
            "Append each finished request to requests/YYYY-MM-DD.jl."
        ),
        ConfigKey(
            "cache_max_entries",
            .integer(min: 1, max: 1_000_000),
            1000,
            section: "Local features",
            "Requests kept in memory for the dashboard."
        ),
        ConfigKey(
            "cache_max_request_size",
            .integer(min: 0, max: Int.max),
            1_048_576,
            section: "Local features",
            "Bytes of one body kept in memory; 0 keeps all."
        ),
        ConfigKey(
            "cache_max_bytes",
            .integer(min: 1 << 20, max: 1 << 40),
            .int(96 << 20),
            section: "Local features",
            "Bytes of bodies kept in memory for requests not yet in requests.db (large bodies are kept compressed)."
        ),
        ConfigKey(
            "usage_report_interval",
            .integer(min: 1, max: 86_400),
            300,
            section: "Local features",
            "Seconds between the lines serve appends to token_usage.jl (also written on shutdown)."
        ),
        ConfigKey(
            "history_enabled",
            .bool,
            true,
            section: "Local features",
            "Record requests in requests.db, the searchable history; false keeps them in memory only."
        ),
        ConfigKey(
            "history_max_days",
            .integer(min: 1, max: 36_500),
            30,
            section: "Local features",
            "Days of requests kept in requests.db, the searchable history."
        ),
        ConfigKey(
            "history_max_bytes",
            .integer(min: 1 << 20, max: 1 << 50),
            .int(2 << 30),
            section: "Local features",
            "Bytes requests.db may use; the oldest requests are deleted beyond it."
        ),
        ConfigKey(
            "disable_onedrive_access",
            .bool,
            true,
            section: "Local features",
            "Skip OneDrive detection and config sync (`ghc-api sync` then needs --onedrive or onedrive_path)."
        ),
        ConfigKey(
            "onedrive_path",
            .string,
            "",
            section: "Local features",
            "This machine's OneDrive folder; empty detects it. Kept on this machine by `sync pull`."
        ),
        ConfigKey(
            "machine_name",
            .string,
            "",
            section: "Local features",
            "This machine's folder under OneDrive's .ghc-api/agents; empty is <hostname>_<OS>. Kept by `sync pull`."
        ),
        ConfigKey(
            "session_flush_interval",
            .integer(min: 1, max: 3600),
            5,
            section: "Local features",
            "Seconds before agent updates that arrive between turns are written to the session file."
        ),
        ConfigKey(
            "acp_agents",
            .agentTable,
            [:],
            section: "Local features",
            "More ACP agents for `ghc-api agent` and the /agent page: NAME: \"command line\", or NAME: {command: [argv…], env: {KEY: VALUE}}."
        ),
        ConfigKey(
            "agent_use_proxy",
            .bool,
            true,
            section: "Local features",
            "Point agents at this proxy (ANTHROPIC_BASE_URL, OPENAI_BASE_URL) when `serve` runs on this machine."
        ),
    ]

    private static let notHere = "a feature of ghc-api 1.0.31 this version does not have"
    private static let notYet = "not built in this version yet; kept for ghc-api 1.0.31's files"
    private static let ignored: [ConfigKey] = [
        ConfigKey(
            "enable_web_search_proxy",
            .bool,
            false,
            section: "Kept for ghc-api 1.0.31",
            "Web-search fallback proxy.",
            effect: .ignored(notHere)
        ),
        ConfigKey(
            "web_search_proxy_endpoint",
            .string,
            "",
            section: "Kept for ghc-api 1.0.31",
            "Web-search fallback endpoint.",
            effect: .ignored(notHere)
        ),
        ConfigKey(
            "enable_auth",
            .bool,
            false,
            section: "Kept for ghc-api 1.0.31",
            "User-token sign-up gate; use `api_keys`.",
            effect: .ignored("use api_keys")
        ),
        ConfigKey("enable_webiq", .bool, false, section: "Kept for ghc-api 1.0.31", "Microsoft Web IQ routes.", effect: .ignored(notHere)),
        ConfigKey("enable_anysearch", .bool, false, section: "Kept for ghc-api 1.0.31", "AnySearch routes.", effect: .ignored(notHere)),
    ]
}
