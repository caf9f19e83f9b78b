import GHCCore

/// Whole-body calls to the Copilot API with a fresh token; a 401 renews the token and retries once.
package struct CopilotAPI: Sendable {
    /// The sender.
    package let http: UpstreamHTTP
    /// The token source.
    package let tokens: CopilotTokenManager
    /// Editor identity for the headers.
    package let identity: UpstreamIdentity

    /// Creates an API client.
    package init(http: UpstreamHTTP, tokens: CopilotTokenManager, identity: UpstreamIdentity) {
        self.http = http
        self.tokens = tokens
        self.identity = identity
    }

    /// `GET {copilot}{path}` and the whole answer, whatever its status.
    package func get(_ path: String, timeout: Duration = .seconds(30)) async throws(UpstreamError) -> UpstreamResponse {
        var token = try await tokens.token()
        var response = try await http.send(
            UpstreamRequest(method: "GET", url: token.apiBaseURL + path, headers: identity.copilotHeaders(copilotToken: token.value)),
            timeout: timeout
        )
        if response.status == 401 {
            token = try await tokens.refreshNow()
            response = try await http.send(
                UpstreamRequest(method: "GET", url: token.apiBaseURL + path, headers: identity.copilotHeaders(copilotToken: token.value)),
                timeout: timeout
            )
        }
        return response
    }
}
