import GHCCore

/// The variables that point an agent's Claude Code or Codex at this proxy (`agent_use_proxy`).
package enum ProxyEnvironment {
    /// `ANTHROPIC_BASE_URL`, `OPENAI_BASE_URL` and their keys for a proxy at `address:port`.
    /// - Parameters:
    ///   - apiKey: the first of `api_keys`, when the proxy asks for one; a placeholder otherwise (the SDKs need a value).
    package static func variables(address: String, port: Int, apiKey: String?) -> [String: String] {
        let base = ProxyAddress.url(address: address, port: port)
        let key = apiKey ?? "ghc-api"
        return [
            "ANTHROPIC_BASE_URL": base,
            "ANTHROPIC_AUTH_TOKEN": key,
            "OPENAI_BASE_URL": base + "/v1",
            "OPENAI_API_KEY": key,
        ]
    }
}
