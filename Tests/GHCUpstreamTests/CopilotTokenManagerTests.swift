import GHCCore
import GHCStandIn
import GHCTestSupport
import GHCUpstream
import Synchronization
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct CopilotTokenManagerTests {
    /// A clock tests move by hand.
    final class ManualClock: Sendable {
        let current = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        var now: @Sendable () -> Date { { self.current.withLock { $0 } } }
        func advance(_ seconds: Double) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    private func manager(
        _ upstream: StandInUpstream,
        clock: ManualClock = ManualClock(),
        token: String = StandInScenario.githubToken,
        text: String = ""
    ) throws -> CopilotTokenManager {
        let config = try GHCConfig.load(ConfigDocument(path: "c", text: "github_api_base_url: \(upstream.baseURL)\n" + text)).config
        return CopilotTokenManager(
            http: UpstreamHTTP(),
            settings: .init(config: config),
            credential: GitHubCredential(token: token, source: .file),
            now: clock.now,
            sleep: { _ in }
        )
    }

    @Test func exchangesWithTheGitHubHeaderSetAndUsesTheAnnouncedEndpoint() async throws {
        try await StandInUpstream.with { upstream in
            let token = try await manager(upstream).token()
            #expect(token.value.hasPrefix("tid=standin-1"))
            #expect(token.apiBaseURL == upstream.baseURL)
            let request = try #require(await upstream.state.requests(to: "/copilot_internal/v2/token").first)
            #expect(request.header("authorization") == "token \(StandInScenario.githubToken)")
            #expect(request.header("editor-version") == "vscode/1.93.0")
            #expect(request.header("editor-plugin-version") == "copilot-chat/0.26.7")
            #expect(request.header("user-agent") == "GitHubCopilotChat/0.26.7")
            #expect(request.header("x-github-api-version") == "2025-04-01")
        }
    }

    @Test func theConfiguredCopilotBaseWinsOverTheAnnouncedOne() async throws {
        try await StandInUpstream.with { upstream in
            let token = try await manager(upstream, text: "copilot_api_base_url: https://copilot.example.test/\n").token()
            #expect(token.apiBaseURL == "https://copilot.example.test")
        }
    }

    @Test func refreshesAMinuteBeforeRefreshInAndNotBefore() async throws {
        try await StandInUpstream.with(scenario: StandInScenario(copilotTokenRefreshIn: 1500)) { upstream in
            let clock = ManualClock()
            let tokens = try manager(upstream, clock: clock)
            let first = try await tokens.token()
            clock.advance(1439)
            #expect(try await tokens.token() == first)
            clock.advance(1)
            let second = try await tokens.token()
            #expect(second.value != first.value)
            #expect(await upstream.state.tokenExchangeCount == 2)
        }
    }

    @Test func aHundredConcurrentCallersShareOneExchange() async throws {
        let scenario = StandInScenario(faults: [StandInFault(path: "/copilot_internal/v2/token", action: .delay, delayMilliseconds: 200)])
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let tokens = try manager(upstream)
            let values = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<100 { group.addTask { try await tokens.token().value } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(values.count == 1)
            #expect(await upstream.state.tokenExchangeCount == 1)
        }
    }

    @Test func recoversAfterAFailedExchange() async throws {
        // Four 503s exhaust the four attempts of the first call; the next call succeeds.
        let scenario = StandInScenario(faults: [
            StandInFault(path: "/copilot_internal/v2/token", action: .status, calls: [1, 2, 3, 4], status: 503)
        ])
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let tokens = try manager(upstream)
            await #expect(throws: UpstreamError.self) { try await tokens.token() }
            let token = try await tokens.token()
            #expect(token.value.hasPrefix("tid=standin-"))
            #expect(await upstream.state.requests(to: "/copilot_internal/v2/token").count == 5)
        }
    }

    @Test func transientFailuresAreRetriedWithinOneCall() async throws {
        let scenario = StandInScenario(faults: [StandInFault(path: "/copilot_internal/v2/token", action: .status, calls: [1], status: 502)])
        try await StandInUpstream.with(scenario: scenario) { upstream in
            _ = try await manager(upstream).token()
            #expect(await upstream.state.requests(to: "/copilot_internal/v2/token").count == 2)
        }
    }

    @Test func aRejectedGitHubTokenSaysToLogIn() async throws {
        try await StandInUpstream.with { upstream in
            let tokens = try manager(upstream, token: "gho_wrong_token_1234567890")
            do throws(UpstreamError) {
                _ = try await tokens.token()
                Issue.record("expected a rejection")
            } catch {
                #expect(error == .githubTokenRejected(status: 401, detail: "Bad credentials"))
                #expect(error.description.contains("ghc-api auth login"))
                #expect(!error.description.contains("gho_wrong_token_1234567890"))
            }
            #expect(await upstream.state.requests(to: "/copilot_internal/v2/token").count == 1)
        }
    }

    @Test func refreshNowReplacesAValidToken() async throws {
        try await StandInUpstream.with { upstream in
            let tokens = try manager(upstream)
            let first = try await tokens.token()
            let second = try await tokens.refreshNow()
            #expect(first.value != second.value)
            #expect(try await tokens.token() == second)
        }
    }

    @Test func withoutACredentialEveryCallSaysNotLoggedIn() async throws {
        let tokens = CopilotTokenManager(http: UpstreamHTTP(), settings: .init(config: GHCConfig()), credential: nil)
        await #expect(throws: UpstreamError.notLoggedIn) { try await tokens.token() }
    }
}
