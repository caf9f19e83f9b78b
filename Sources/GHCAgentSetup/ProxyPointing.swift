/// What `config claude-code`, `config codex` and the manager page change to point a tool at the proxy.
package struct ProxyPointing: Sendable {
    /// The proxy as clients reach it (`http://127.0.0.1:8313`).
    package let baseURL: String
    /// The first of `api_keys`, when the proxy asks for keys.
    package let apiKey: String?
    /// The live catalog (empty when there is none).
    package let choice: ModelChoice

    /// Pointing at `baseURL` with models from `choice`.
    package init(baseURL: String, apiKey: String?, choice: ModelChoice) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.choice = choice
    }

    /// The change to Claude Code's settings at `path`, with warnings for models the catalog lacks.
    package func claudeCode(
        path: String,
        model: String?,
        smallModel: String?
    ) throws(SetupError) -> (change: SettingsChange, warnings: [String]) {
        let (main, mainWarning) = try pick(model, choice.bestClaude, "--model")
        let (small, smallWarning) = try pick(smallModel, choice.freeSmall, "--small-model")
        let variables = ClaudeCodeSetup.variables(baseURL: baseURL, token: apiKey ?? "ghc-api", model: main, smallModel: small)
        return (try ClaudeCodeSetup.change(path: path, variables: variables), [mainWarning, smallWarning].compactMap { $0 })
    }

    /// The change to Codex's config at `path` (its key comes from `GHC_API_KEY` when the proxy needs one).
    package func codex(path: String, model: String?) throws(SetupError) -> (change: SettingsChange, warnings: [String]) {
        let (chosen, warning) = try pick(model, choice.bestCodex, "--model")
        let change = try CodexSetup.change(path: path, baseURL: baseURL + "/v1", model: chosen, envKey: apiKey == nil ? nil : "GHC_API_KEY")
        return (change, [warning].compactMap { $0 })
    }

    /// The model named (with a warning when the catalog lacks it), else the catalog's pick.
    private func pick(_ named: String?, _ picked: String?, _ flag: String) throws(SetupError) -> (String, String?) {
        if let named { return (named, choice.warning(for: named)) }
        guard let picked else { throw .noModel(flag: flag) }
        return (picked, nil)
    }
}
