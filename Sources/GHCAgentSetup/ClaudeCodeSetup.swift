/// Claude Code's `settings.json`: its `env` block pointed at the proxy, every other key and comment kept.
package enum ClaudeCodeSetup {
    /// The `env` members written, in order.
    package static func variables(baseURL: String, token: String, model: String, smallModel: String) -> [(key: String, value: String)] {
        [
            ("ANTHROPIC_BASE_URL", baseURL),
            ("ANTHROPIC_AUTH_TOKEN", token),
            ("ANTHROPIC_MODEL", model),
            ("ANTHROPIC_SMALL_FAST_MODEL", smallModel),
            ("ANTHROPIC_DEFAULT_HAIKU_MODEL", smallModel),
            ("CLAUDE_CODE_SUBAGENT_MODEL", smallModel),
            ("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1"),
        ]
    }

    /// The change that sets `variables` in the settings file at `path`.
    package static func change(path: String, variables: [(key: String, value: String)]) throws(SetupError) -> SettingsChange {
        let old = try SettingsChange.read(path)
        do {
            let new = try JSONTextEditor.setting(variables, in: "env", of: old ?? "")
            return SettingsChange(path: path, old: old, new: new)
        } catch {
            throw .malformed(path, error.description)
        }
    }
}

/// Codex's `config.toml`: a `[model_providers.ghc-api]` table and `model_provider`/`model` at the top.
package enum CodexSetup {
    /// The change that points the Codex config at `path` to the proxy.
    /// - Parameter envKey: the variable Codex reads the API key from, when the proxy needs one.
    package static func change(path: String, baseURL: String, model: String, envKey: String?) throws(SetupError) -> SettingsChange {
        let old = try SettingsChange.read(path)
        var provider: [(key: String, value: String)] = [("name", "ghc-api"), ("base_url", baseURL), ("wire_api", "responses")]
        if let envKey { provider.append(("env_key", envKey)) }
        do {
            let new = try TOMLTextEditor.setting(
                top: [("model_provider", "ghc-api"), ("model", model)],
                table: ["model_providers", "ghc-api"],
                provider,
                in: old ?? ""
            )
            return SettingsChange(path: path, old: old, new: new)
        } catch {
            throw .malformed(path, error.description)
        }
    }
}
