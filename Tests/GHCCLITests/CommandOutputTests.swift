import GHCCore
import GHCStandIn
import GHCTestSupport
import Testing

@testable import GHCCLI

/// Commands run in-process with a captured context.
@Suite struct CommandOutputTests {
    private func context(home: String, env: [String: String]) -> (CommandContext, BufferedOutput, BufferedOutput) {
        let out = BufferedOutput()
        let err = BufferedOutput()
        return (CommandContext(stdout: out, stderr: err, environment: env, home: home, sleep: { _ in }), out, err)
    }

    @Test func modelsJSONHasTheDocumentedShape() async throws {
        try await StandInUpstream.with { upstream in
            try await TemporaryDirectory.with { home in
                try home.write(".ghc-api/config.yaml", "github_api_base_url: \(upstream.baseURL)\n")
                let (ctx, out, err) = context(home: home.path, env: ["GITHUB_TOKEN": StandInScenario.githubToken])
                let status = await GHCCLI.run(["models", "--json"], context: ctx)
                #expect(status == .success, "\(err.text)")
                let json = try JSONValue.parse(Array(out.text.utf8))
                let models = try #require(json["models"]?.arrayValue)
                #expect(models.count == 11)
                #expect(models.contains { $0["id"] == "claude-opus-5.5" })
                let codex = try #require(models.first { $0["id"] == "gpt-5.2-codex" })
                #expect(codex["supported_endpoints"] == ["/responses"])
                #expect(codex["context_window"] == 400_000)
                #expect(codex["reasoning_efforts"] == ["low", "medium", "high", "xhigh"])
                let embedding = try #require(models.first { $0["id"] == "text-embedding-3-small" })
                #expect(embedding["type"] == "embeddings")
                #expect(embedding["context_window"] == .null)
                #expect(json["fetched_at"]?.stringValue?.hasSuffix("Z") == true)
            }
        }
    }

    @Test func authStatusFromTheEnvironmentAndARejectedToken() async throws {
        try await StandInUpstream.with { upstream in
            try await TemporaryDirectory.with { home in
                try home.write(".ghc-api/config.yaml", "github_api_base_url: \(upstream.baseURL)\n")
                let (ctx, out, _) = context(home: home.path, env: ["GITHUB_TOKEN": "gho_revoked_token_0000000000000"])
                #expect(await GHCCLI.run(["auth", "status", "--json"], context: ctx) == .failure)
                let report = try JSONValue.parse(Array(out.text.utf8))
                #expect(report["logged_in"] == true)
                #expect(report["source"] == "environment")
                #expect(report["token_prefix"] == "gho_re…")
                #expect(report["error"]?.stringValue?.contains("run `ghc-api auth login`") == true)
                #expect(!out.text.contains("gho_revoked_token_0000000000000"))
            }
        }
    }

    @Test func logoutKeepsTellingAboutGITHUB_TOKEN() async throws {
        try await TemporaryDirectory.with { home in
            let (ctx, out, _) = context(home: home.path, env: ["GITHUB_TOKEN": "x"])
            #expect(await GHCCLI.run(["auth", "logout"], context: ctx) == .success)
            #expect(out.text.contains("GITHUB_TOKEN is still set"))
        }
    }
}
