import GHCCore
import GHCStandIn
import GHCTestSupport
import GHCUpstream
import Testing

@Suite struct ModelCatalogTests {
    private func catalog(_ upstream: StandInUpstream) throws -> (ModelCatalog, CopilotTokenManager) {
        let config = try GHCConfig.load(ConfigDocument(path: "c", text: "github_api_base_url: \(upstream.baseURL)\n")).config
        let tokens = CopilotTokenManager(
            http: UpstreamHTTP(),
            settings: .init(config: config),
            credential: GitHubCredential(token: StandInScenario.githubToken, source: .environment)
        )
        return (ModelCatalog(api: CopilotAPI(http: UpstreamHTTP(), tokens: tokens, identity: UpstreamIdentity(config: config))), tokens)
    }

    @Test func fetchesOnceWithinItsLifetimeWithCopilotHeaders() async throws {
        try await StandInUpstream.with { upstream in
            let (catalog, _) = try catalog(upstream)
            let snapshot = try await catalog.snapshot()
            _ = try await catalog.snapshot()
            #expect(await upstream.state.requests(to: "/models").count == 1)
            let sonnet = try #require(snapshot.model(id: "claude-sonnet-4.5"))
            #expect(sonnet.speaksMessages && sonnet.vision && sonnet.contextWindow == 200_000)
            #expect(snapshot.model(id: "gpt-5.2-codex")?.speaksResponses == true)
            #expect(snapshot.model(id: "text-embedding-3-small")?.isEmbedding == true)
            let request = try #require(await upstream.state.requests(to: "/models").first)
            #expect(request.header("authorization")?.hasPrefix("Bearer tid=standin-") == true)
            #expect(request.header("copilot-integration-id") == "vscode-chat")
            #expect(request.header("openai-intent") == "conversation-panel")
            #expect(request.header("x-request-id")?.count == 36)
            _ = try await catalog.snapshot(refresh: true)
            #expect(await upstream.state.requests(to: "/models").count == 2)
        }
    }

    @Test func anExpiredCopilotTokenIsRenewedOnce() async throws {
        try await StandInUpstream.with { upstream in
            let (catalog, tokens) = try catalog(upstream)
            _ = try await tokens.token()
            await upstream.state.expireCopilotTokens()
            let snapshot = try await catalog.snapshot()
            #expect(!snapshot.models.isEmpty)
            #expect(await upstream.state.tokenExchangeCount == 2)
        }
    }
}
