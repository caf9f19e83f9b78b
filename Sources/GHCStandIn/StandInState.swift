#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One request the stand-in received.
package struct RecordedRequest: Sendable {
    /// The method.
    package let method: String
    /// The path without the query.
    package let path: String
    /// Headers in order, names lowercased.
    package let headers: [(String, String)]
    /// The body.
    package let body: [UInt8]

    /// The first value of a header.
    package func header(_ name: String) -> String? {
        headers.first { $0.0 == name.lowercased() }?.1
    }

    /// The body as text.
    package var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// What happened to a stream, for the counts.
enum StreamCount {
    /// The stream began; it was written to the end; it ended with an error.
    case started, completed, aborted
}

/// The stand-in's mutable state: its scenario, the request log, issued tokens and per-path call counts.
package actor StandInState {
    /// The scenario in force.
    package private(set) var scenario: StandInScenario
    /// The most recent requests received (at most `logLimit`), oldest first.
    package private(set) var requests: [RecordedRequest] = []
    /// How many requests the log keeps, so a long demo or benchmark does not grow without bound.
    package static let logLimit = 256
    private var callCounts: [String: Int] = [:]
    private var pollCount = 0
    private var validCopilotTokens: Set<String> = []
    private var issuedTokens = 0

    /// Creates state for a scenario.
    package init(scenario: StandInScenario) {
        self.scenario = scenario
    }

    /// Replaces the scenario and restarts its counters.
    package func setScenario(_ scenario: StandInScenario) {
        self.scenario = scenario
        callCounts = [:]
        pollCount = 0
    }

    /// Forgets the request log.
    package func clearLog() {
        requests = []
    }

    /// The requests received for one path.
    package func requests(to path: String) -> [RecordedRequest] {
        requests.filter { $0.path == path }
    }

    /// Streams started, completed, and ended because the client went away.
    package private(set) var streamCounts = (started: 0, completed: 0, aborted: 0)

    /// Counts a stream event of the given kind.
    func countStream(_ kind: StreamCount) {
        switch kind {
        case .started: streamCounts.started += 1
        case .completed: streamCounts.completed += 1
        case .aborted: streamCounts.aborted += 1
        }
    }

    /// How many Copilot tokens were issued.
    package var tokenExchangeCount: Int { issuedTokens }

    /// Makes every issued Copilot token invalid, as if they had expired.
    package func expireCopilotTokens() {
        validCopilotTokens.removeAll()
    }

    /// Records a request and returns its call number for its path with the fault that applies, if any.
    func record(_ request: RecordedRequest) -> (call: Int, fault: StandInFault?) {
        if requests.count >= Self.logLimit { requests.removeFirst(requests.count - Self.logLimit + 1) }
        requests.append(request)
        let call = (callCounts[request.path] ?? 0) + 1
        callCounts[request.path] = call
        return (call, scenario.faults.first { $0.applies(to: request.path, call: call) })
    }

    /// The next device-poll outcome, or `nil` once the scripted ones are used up.
    func nextPollOutcome() -> String? {
        defer { pollCount += 1 }
        return pollCount < scenario.devicePollOutcomes.count ? scenario.devicePollOutcomes[pollCount] : nil
    }

    /// Issues a new Copilot token.
    func issueCopilotToken() -> String {
        issuedTokens += 1
        let token = "tid=standin-\(issuedTokens);exp=\(Int(Date().timeIntervalSince1970) + scenario.copilotTokenRefreshIn);sku=free_standin"
        validCopilotTokens.insert(token)
        return token
    }

    /// Whether a Copilot bearer token is one this stand-in issued and has not expired.
    func isValidCopilotToken(_ token: String) -> Bool {
        validCopilotTokens.contains(token)
    }
}
