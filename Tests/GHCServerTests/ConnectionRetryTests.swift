import GHCCore
import GHCProxy
import GHCServer
import GHCStandIn
import GHCTestSupport
import GHCUpstream
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

@Suite struct ConnectionRetryTests {
    /// A port nothing listens on (a stand-in is started on it and stopped again).
    private func closedPort() async throws -> Int {
        let probe = try await StandInUpstream.start()
        await probe.stop()
        return probe.port
    }

    /// Server parts whose Copilot base is `copilotPort`, with the model catalog already loaded from it (a stand-in
    /// answers there just long enough), so that what is tested is the model call's own retries.
    private func parts(github: StandInUpstream, copilotPort: Int, retry: RetryPolicy) async throws -> ServerParts {
        let text = "github_api_base_url: \(github.baseURL)\ncopilot_api_base_url: http://127.0.0.1:\(copilotPort)\n"
        let config = try GHCConfig.load(ConfigDocument(path: "c", text: text)).config
        var settings = ServerSettings(
            config: config,
            location: ConfigLocation(directory: "/nonexistent"),
            credential: GitHubCredential(token: StandInScenario.githubToken, source: .environment),
            reloadCredential: nil,
            logger: Logger(label: "test")
        )
        settings.retry = retry
        settings.connectTimeout = .milliseconds(300)
        let parts = buildServerParts(settings)
        let early = try await StandInUpstream.start(state: github.state, port: copilotPort)
        _ = try await parts.services.catalog.snapshot()
        await early.stop()
        return parts
    }

    private let chat = ByteBuffer(string: #"{"model":"gpt-4.1","messages":[{"role":"user","content":"retried"}]}"#)

    @Test func aRefusedConnectionIsRetriedUntilTheUpstreamAnswers() async throws {
        try await StandInUpstream.with { github in
            let port = try await closedPort()
            let late = Mutex<StandInUpstream?>(nil)
            let waits = Mutex<[Duration]>([])
            let retry = RetryPolicy(maxRetries: 3, backoff: { .milliseconds(10 * ($0 + 1)) }) { wait in
                waits.withLock { $0.append(wait) }
                if waits.withLock({ $0.count }) == 2 {
                    let upstream = try await StandInUpstream.start(state: github.state, port: port)
                    late.withLock { $0 = upstream }
                }
            }
            let parts = try await parts(github: github, copilotPort: port, retry: retry)
            let app = Application(router: buildRouter(parts: parts, security: ServerSecurity(address: "127.0.0.1", apiKeys: [])))
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: chat
                ) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body).contains("You said: retried"))
                }
            }
            #expect(waits.withLock { $0 } == [.milliseconds(10), .milliseconds(20)])
            #expect(await github.state.requests(to: "/chat/completions").count == 1)
            await late.withLock { $0 }?.stop()
            await parts.shutdownHTTPClients()
        }
    }

    @Test func exhaustedRetriesAre502WithTheReason() async throws {
        try await StandInUpstream.with { github in
            let port = try await closedPort()
            let parts = try await parts(
                github: github,
                copilotPort: port,
                retry: RetryPolicy(maxRetries: 2, backoff: { _ in .milliseconds(1) }, sleep: { _ in })
            )
            let app = Application(router: buildRouter(parts: parts, security: ServerSecurity(address: "127.0.0.1", apiKeys: [])))
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/chat/completions",
                    method: .post,
                    headers: [.contentType: "application/json"],
                    body: chat
                ) { response in
                    #expect(response.status == .badGateway)
                    let body = try JSONValue.parse(response.body.readableBytesView)
                    #expect(body["error"]?["code"] == "upstream_unavailable")
                    #expect(body["error"]?["message"]?.stringValue?.contains("connection refused after 3 attempts") == true)
                }
            }
            await parts.shutdownHTTPClients()
        }
    }
}
