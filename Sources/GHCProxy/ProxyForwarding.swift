import AsyncHTTPClient
import GHCCore
import GHCUpstream
import Hummingbird
import Logging
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sends a shaped request to Copilot and relays the answer in the client's dialect.
struct ProxyForwarding: Sendable {
    let services: ProxyServices

    /// Calls Copilot and answers the client: an error before the answer starts keeps its status; a stream is
    /// relayed when the client asked for one and Copilot sent one.
    func forward<Grammar: StreamGrammar>(_ call: CopilotCall, request: Request, stream: Bool, grammar: Grammar, dialect: APIDialect, label: String) async throws(ProxyError) -> Response {
        let started = ContinuousClock.now
        let logger = services.logger
        let relay = UpstreamRelay(dialect: dialect) { outcome in
            let elapsed = ContinuousClock.now - started
            let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
            let text = "\(request.method.rawValue) \(request.uri.path) \(label) → \(outcome.status)\(outcome.streamed ? " stream" : "") \(milliseconds) ms"
            if let failure = outcome.failure {
                logger.warning("\(text): \(failure)")
            } else {
                logger.info("\(text)")
            }
        }
        let upstream: HTTPClientResponse
        do {
            upstream = try await services.copilot.open(call)
        } catch {
            let failure = Self.proxyError(for: error).in(dialect)
            logger.warning("\(request.method.rawValue) \(request.uri.path) \(label) → \(failure.status.code): \(failure.message)")
            throw failure
        }
        guard (200..<300).contains(Int(upstream.status.code)) else { return await relay.error(from: upstream) }
        let isEventStream = upstream.headers.first(name: "content-type")?.lowercased().hasPrefix("text/event-stream") == true
        if stream && isEventStream {
            return relay.stream(from: upstream, inbound: request, grammar: grammar)
        }
        return relay.json(from: upstream)
    }

    /// The client-facing error for a failure before Copilot answered.
    static func proxyError(for error: UpstreamError) -> ProxyError {
        switch error {
        case .notLoggedIn, .githubTokenRejected:
            return .notAuthenticated(error.description)
        case .network(_, let reason) where reason.contains("no answer within") || reason.contains("timed out"):
            return ProxyError(.gatewayTimeout, type: "upstream_error", code: "upstream_timeout", message: error.description)
        case .status(_, let code, _) where code == 429:
            return ProxyError(.tooManyRequests, type: "rate_limit_error", code: "upstream_rate_limited", message: error.description)
        default:
            return ProxyError(.badGateway, type: "upstream_error", code: "upstream_unavailable", message: error.description)
        }
    }
}
