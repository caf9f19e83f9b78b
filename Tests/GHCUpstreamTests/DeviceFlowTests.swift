import GHCCore
import GHCStandIn
import GHCTestSupport
import GHCUpstream
import Synchronization
import Testing

@Suite struct DeviceFlowTests {
    /// Records the waits instead of sleeping.
    final class Waits: Sendable {
        let recorded = Mutex<[Duration]>([])
        var sleep: @Sendable (Duration) async throws -> Void { { duration in self.recorded.withLock { $0.append(duration) } } }
        var all: [Duration] { recorded.withLock { $0 } }
    }

    private func flow(_ upstream: StandInUpstream, waits: Waits) -> DeviceFlow {
        DeviceFlow(http: UpstreamHTTP(), webBaseURL: upstream.baseURL, sleep: waits.sleep)
    }

    @Test func succeedsAfterPendingPolls() async throws {
        let scenario = StandInScenario(devicePollOutcomes: ["authorization_pending", "authorization_pending"], deviceInterval: 5)
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let waits = Waits()
            let flow = flow(upstream, waits: waits)
            let authorization = try await flow.start()
            #expect(authorization.userCode == "ABCD-1234")
            #expect(authorization.interval == 5)
            let events = Mutex<[DeviceFlow.Event]>([])
            let token = try await flow.waitForToken(authorization) { event in events.withLock { $0.append(event) } }
            #expect(token == StandInScenario.githubToken)
            #expect(events.withLock { $0 } == [.pending, .pending])
            #expect(waits.all == [.seconds(5), .seconds(5), .seconds(5)])
            let codeRequest = try #require(await upstream.state.requests(to: "/login/device/code").first)
            #expect(FormEncoding.decode(codeRequest.bodyText) == ["client_id": DeviceFlow.clientID, "scope": "read:user copilot"])
            #expect(codeRequest.header("accept") == "application/json")
            let poll = try #require(await upstream.state.requests(to: "/login/oauth/access_token").last)
            #expect(FormEncoding.decode(poll.bodyText)["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code")
        }
    }

    @Test func slowDownAddsFiveSecondsToTheInterval() async throws {
        let scenario = StandInScenario(devicePollOutcomes: ["slow_down", "authorization_pending"], deviceInterval: 5)
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let waits = Waits()
            let flow = flow(upstream, waits: waits)
            _ = try await flow.waitForToken(try await flow.start())
            #expect(waits.all == [.seconds(5), .seconds(10), .seconds(10)])
        }
    }

    @Test(arguments: [("access_denied", UpstreamError.deviceFlowDenied), ("expired_token", UpstreamError.deviceFlowExpired)])
    func endsOnDenialOrExpiry(outcome: String, expected: UpstreamError) async throws {
        try await StandInUpstream.with(scenario: StandInScenario(devicePollOutcomes: ["authorization_pending", outcome])) { upstream in
            let flow = flow(upstream, waits: Waits())
            let authorization = try await flow.start()
            await #expect(throws: expected) { try await flow.waitForToken(authorization) }
        }
    }

    @Test func theDeadlineEndsPolling() async throws {
        let scenario = StandInScenario(
            devicePollOutcomes: Array(repeating: "authorization_pending", count: 1000),
            deviceInterval: 0,
            deviceExpiresIn: 0
        )
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let flow = flow(upstream, waits: Waits())
            await #expect(throws: UpstreamError.deviceFlowExpired) { try await flow.waitForToken(try await flow.start()) }
        }
    }

    @Test func aFailedPollIsRetried() async throws {
        let scenario = StandInScenario(faults: [StandInFault(path: "/login/oauth/access_token", action: .status, calls: [1], status: 502)])
        try await StandInUpstream.with(scenario: scenario) { upstream in
            let events = Mutex<[DeviceFlow.Event]>([])
            let flow = flow(upstream, waits: Waits())
            let token = try await flow.waitForToken(try await flow.start()) { event in events.withLock { $0.append(event) } }
            #expect(token == StandInScenario.githubToken)
            #expect(events.withLock { $0 } == [.retrying("HTTP 502"), .pending])
        }
    }
}
