import GHCCore
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// A call to the Copilot API whose answer is streamed back.
package struct CopilotCall: Sendable {
    /// The path under the Copilot API base, such as `/chat/completions`.
    package var path: String
    /// The JSON body.
    package var body: [UInt8]
    /// `X-Initiator`, for routes that send it.
    package var initiator: String?
    /// Whether to send `Copilot-Vision-Request: true`.
    package var vision: Bool
    /// Further headers (for example `anthropic-version`).
    package var extraHeaders: [(String, String)]
    /// For a streamed answer relayed to a client: how long the answer may be silent before its body gives an empty
    /// buffer (the relay's cue for a keepalive); `nil` for never.
    package var idleTick: Duration?

    /// Creates a call.
    package init(path: String, body: [UInt8], initiator: String? = nil, vision: Bool = false, extraHeaders: [(String, String)] = []) {
        self.path = path
        self.body = body
        self.initiator = initiator
        self.vision = vision
        self.extraHeaders = extraHeaders
    }
}

/// When and how long to wait before trying a failed connection again.
package struct RetryPolicy: Sendable {
    /// Retries after the first attempt.
    package var maxRetries: Int
    /// The wait before retry `n` (0-based).
    package var backoff: @Sendable (Int) -> Duration
    /// Waits; tests make it instant.
    package var sleep: @Sendable (Duration) async throws -> Void

    /// The wait before retry `n` (0-based) of every upstream call: 1, 2, 4, 8, 8 … seconds.
    package static func exponential(_ retry: Int) -> Duration {
        exponential(retry, capSeconds: 8)
    }

    /// The wait before retry `n` (0-based): 1, 2, 4 … seconds, doubling up to `capSeconds`.
    package static func exponential(_ retry: Int, capSeconds: Int) -> Duration {
        .seconds(min(capSeconds, 1 << min(max(retry, 0), 30)))
    }

    /// Creates a policy; the default backoff is `exponential`.
    package init(
        maxRetries: Int,
        backoff: @escaping @Sendable (Int) -> Duration = RetryPolicy.exponential,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxRetries = maxRetries
        self.backoff = backoff
        self.sleep = sleep
    }
}

/// Opens streamed calls to Copilot: fresh headers per attempt, a new token and one retry on 401, and retries with
/// backoff when the connection could not be made (so nothing was sent).
package struct CopilotClient: Sendable {
    /// The HTTP client, with connections pooled per event loop; its read timeout bounds the silences of a body.
    package let http: PooledHTTPClient
    /// The token source.
    package let tokens: CopilotTokenManager
    /// The editor identity.
    package let identity: UpstreamIdentity
    /// Connection retries.
    package let retry: RetryPolicy
    /// How long to wait for the response head.
    package let headTimeout: Duration
    private let logger: Logger

    /// Creates a client.
    package init(
        http: PooledHTTPClient,
        tokens: CopilotTokenManager,
        identity: UpstreamIdentity,
        retry: RetryPolicy,
        headTimeout: Duration,
        logger: Logger
    ) {
        self.http = http
        self.tokens = tokens
        self.identity = identity
        self.retry = retry
        self.headTimeout = headTimeout
        self.logger = logger
    }

    /// Sends `call` and returns once the response head arrived; the body streams from the returned answer.
    package func open(_ call: CopilotCall) async throws(UpstreamError) -> PooledHTTPAnswer {
        var attempt = 0
        var renewedToken = false
        while true {
            let token = try await tokens.token()
            let url = token.apiBaseURL + call.path
            var headers = HTTPHeaders(identity.copilotHeaders(copilotToken: token.value, initiator: call.initiator, vision: call.vision))
            for (name, value) in call.extraHeaders { headers.replaceOrAdd(name: name, value: value) }
            headers.replaceOrAdd(name: "Accept-Encoding", value: "identity")
            do {
                let answer = try await http.execute(
                    url: url,
                    headers: consume headers,
                    body: ByteBuffer(bytes: call.body),
                    headTimeout: headTimeout,
                    idleTick: call.idleTick
                )
                if answer.status == .unauthorized, !renewedToken {
                    renewedToken = true
                    logger.info("Copilot answered 401; renewing the Copilot token and retrying once")
                    _ = try? await answer.body.collect(upTo: 1 << 20)
                    _ = try await tokens.refreshNow()
                    continue
                }
                return answer
            } catch .unreachable(let url, let reason) {
                guard attempt < retry.maxRetries else {
                    throw .network(url: url, reason: attempt > 0 ? reason + " after \(attempt + 1) attempts" : reason)
                }
                let wait = retry.backoff(attempt)
                attempt += 1
                logger.warning("cannot connect to Copilot (\(reason)); retry \(attempt) of \(retry.maxRetries) in \(wait)")
                do {
                    try await retry.sleep(wait)
                } catch {
                    throw .cancelled
                }
            }
        }
    }
}
